#include "api/ics_writer.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "calendars/time_text.h"
#include "calendars/zone.h"

namespace patchcast::api {
namespace {

std::vector<std::string> PhysicalLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find("\r\n", start);
    REQUIRE_MESSAGE(end != std::string::npos, "text does not end with CRLF");
    lines.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

// RFC 5545 3.1 unfolding: remove every CRLF followed by one space or tab.
std::string Unfold(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 3, "\r\n ") == 0) {
      i += 2;
      continue;
    }
    out += text[i];
  }
  return out;
}

bool ValidUtf8(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80    ? 1
                               : lead >= 0xF0 ? 4
                               : lead >= 0xE0 ? 3
                               : lead >= 0xC0 ? 2
                                              : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

TEST_CASE("TEXT escaping doubles backslashes and escapes ; , and line breaks") {
  CHECK(EscapeIcsText("a\\b;c,d") == "a\\\\b\\;c\\,d");
  CHECK(EscapeIcsText("one\ntwo\r\nthree\rfour") == "one\\ntwo\\nthree\\nfour");
  CHECK(EscapeIcsText("tab\tkept, bell\x07 dropped") == "tab\tkept\\, bell dropped");
  CHECK(EscapeIcsText("Grüße: ok") == "Grüße: ok");  // colons need no escape in TEXT
  CHECK(EscapeIcsText("") == "");
}

TEST_CASE("a short content line is written as is, with CRLF") {
  std::string out;
  AppendContentLine(out, "VERSION:2.0");
  CHECK(out == "VERSION:2.0\r\n");
}

TEST_CASE("long lines fold at 75 octets, continuation lines starting with one space") {
  std::string out;
  const std::string line = "DESCRIPTION:" + std::string(300, 'x');
  AppendContentLine(out, line);
  const auto lines = PhysicalLines(out);
  REQUIRE(lines.size() == 5);  // 75 + 74 * 3 = 297 < 312 octets
  CHECK(lines[0].size() == 75);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    CHECK(lines[i].front() == ' ');
    CHECK(lines[i].size() <= 75);
  }
  CHECK(lines[1].size() == 75);
  CHECK(Unfold(out) == line + "\r\n");

  SUBCASE("exactly 75 octets is not folded, 76 is") {
    std::string exact;
    AppendContentLine(exact, std::string(75, 'a'));
    CHECK(PhysicalLines(exact).size() == 1);
    std::string over;
    AppendContentLine(over, std::string(76, 'a'));
    CHECK(PhysicalLines(over) == std::vector<std::string>{std::string(75, 'a'), " a"});
  }
}

TEST_CASE("folding never splits a UTF-8 sequence") {
  // Every offset of 2-, 3- and 4-octet characters against the fold points.
  for (const std::string character : {"é", "€", "😀"}) {
    for (std::size_t prefix = 0; prefix < 5; ++prefix) {
      CAPTURE(character);
      CAPTURE(prefix);
      std::string line = "SUMMARY:" + std::string(prefix, 'p');
      for (int i = 0; i < 60; ++i) line += character;
      std::string out;
      AppendContentLine(out, line);
      for (const std::string& physical : PhysicalLines(out)) {
        CHECK(physical.size() <= 75);
        CHECK(ValidUtf8(physical));
      }
      CHECK(Unfold(out) == line + "\r\n");
    }
  }
}

TEST_CASE("UTC date-times are written in the basic form with Z") {
  CHECK(IcsUtcDateTime(*calendars::ParseUtcDateTime("2007-08-14T17:00:00Z")) == "20070814T170000Z");
}

TEST_CASE(
    "a feed is a VCALENDAR with one VEVENT per event, every line CRLF and at most 75 "
    "octets") {
  const date::time_zone* zone = *calendars::LocateZone("America/Los_Angeles");
  calendars::Event release;
  release.calendar_id = "microsoft";
  release.start = *calendars::ParseUtcDateTime("2007-08-14T17:00:00Z");
  release.local_start = *calendars::ParseLocalDateTime("2007-08-14T10:00:00");
  release.zone = zone;
  release.scheduled_date = date::local_days{date::year{2007} / 8 / 14};
  release.bulletins = 9;
  release.max_severity = calendars::Severity::kCritical;
  release.restart_required = true;
  release.source = calendars::EventSource::kHistory;
  release.notes = "Windows, Office; IE\\Edge\nsecond line — with a long tail of text to fold ✓";
  calendars::Event notice = release;
  notice.kind = calendars::EventKind::kAdvanceNotice;
  notice.is_public = false;
  notice.notes.clear();
  notice.duration = std::chrono::minutes(90);
  const std::vector<calendars::Event> events = {release, notice};

  const std::string feed = WriteIcsCalendar(events, "Patchcast: Microsoft");
  const std::vector<std::string> lines = PhysicalLines(feed);
  for (const std::string& line : lines) {
    CHECK(line.size() <= 75);
    CHECK(line.find('\n') == std::string::npos);
    CHECK(line.find('\r') == std::string::npos);
  }
  CHECK(lines.front() == "BEGIN:VCALENDAR");
  CHECK(lines.back() == "END:VCALENDAR");
  const std::string unfolded = Unfold(feed);
  CHECK(unfolded.find("VERSION:2.0\r\n") != std::string::npos);
  CHECK(unfolded.find("PRODID:-//Patchcast//Patch calendars//EN\r\n") != std::string::npos);
  CHECK(unfolded.find("UID:microsoft:2007-08-14:release@patchcast\r\n") != std::string::npos);
  CHECK(unfolded.find("UID:microsoft:2007-08-14:advance_notice@patchcast\r\n") !=
        std::string::npos);
  CHECK(unfolded.find("DTSTAMP:20070814T170000Z\r\nDTSTART:20070814T170000Z\r\n") !=
        std::string::npos);
  CHECK(unfolded.find("DTEND:20070814T183000Z\r\n") != std::string::npos);
  CHECK(unfolded.find("SUMMARY:microsoft release\r\n") != std::string::npos);
  CHECK(unfolded.find("SUMMARY:microsoft advance notice\r\n") != std::string::npos);
  CHECK(unfolded.find("Bulletins: 9\\nMax severity: critical\\nRestart required: yes\\nNotes: "
                      "Windows\\, Office\\; IE\\\\Edge\\nsecond line") != std::string::npos);
  CHECK(unfolded.find("CLASS:PRIVATE\r\n") != std::string::npos);
  std::size_t begins = 0;
  for (const std::string& line : lines) begins += line == "BEGIN:VEVENT" ? 1 : 0;
  CHECK(begins == 2);
  CHECK(WriteIcsCalendar(events, "Patchcast: Microsoft") == feed);  // deterministic
}

TEST_CASE("a range without events gives a VCALENDAR without VEVENTs") {
  const std::string feed = WriteIcsCalendar({}, "empty");
  CHECK(feed.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
  CHECK(feed.ends_with("END:VCALENDAR\r\n"));
  CHECK(feed.find("VEVENT") == std::string::npos);
}

}  // namespace
}  // namespace patchcast::api
