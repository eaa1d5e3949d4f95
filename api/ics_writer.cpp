#include "api/ics_writer.h"

#include <date/date.h>

#include "calendars/time_text.h"

namespace patchcast::api {
namespace {

// RFC 5545 3.1: "Lines of text SHOULD NOT be longer than 75 octets, excluding the line break."
constexpr std::size_t kMaxLineOctets = 75;

bool IsUtf8Continuation(char byte) { return (static_cast<unsigned char>(byte) & 0xC0U) == 0x80U; }

std::string SpacedKind(calendars::EventKind kind) {
  std::string words(ToString(kind));
  for (char& c : words) {
    if (c == '_') c = ' ';
  }
  return words;
}

std::string Description(const calendars::Event& event) {
  std::string text = "Kind: " + SpacedKind(event.kind) + "\n";
  text += "Local start: " + calendars::FormatLocalDateTime(event.local_start) + " " +
          std::string(event.ZoneName()) + "\n";
  text += "Source: " + std::string(ToString(event.source));
  if (event.bulletins) text += "\nBulletins: " + std::to_string(*event.bulletins);
  if (event.max_severity) {
    text += "\nMax severity: " + std::string(ToString(*event.max_severity));
  }
  if (event.restart_required) {
    text += std::string("\nRestart required: ") + (*event.restart_required ? "yes" : "no");
  }
  if (!event.notes.empty()) text += "\nNotes: " + event.notes;
  return text;
}

void AppendEvent(std::string& out, const calendars::Event& event) {
  const std::string start = IcsUtcDateTime(event.start);
  AppendContentLine(out, "BEGIN:VEVENT");
  AppendContentLine(out, "UID:" + EscapeIcsText(event.Id() + "@patchcast"));
  AppendContentLine(out, "DTSTAMP:" + start);
  AppendContentLine(out, "DTSTART:" + start);
  if (event.duration)
    AppendContentLine(out, "DTEND:" + IcsUtcDateTime(event.start + *event.duration));
  AppendContentLine(out,
                    "SUMMARY:" + EscapeIcsText(event.calendar_id + " " + SpacedKind(event.kind)));
  AppendContentLine(out, "DESCRIPTION:" + EscapeIcsText(Description(event)));
  AppendContentLine(out, "CATEGORIES:" + EscapeIcsText(ToString(event.kind)));
  AppendContentLine(out, event.is_public ? "CLASS:PUBLIC" : "CLASS:PRIVATE");
  AppendContentLine(out, "TRANSP:TRANSPARENT");
  AppendContentLine(out, "END:VEVENT");
}

}  // namespace

std::string EscapeIcsText(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\':
      case ';':
      case ',':
        escaped += '\\';
        escaped += c;
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        escaped += "\\n";
        break;
      case '\n':
        escaped += "\\n";
        break;
      case '\t':
        escaped += c;
        break;
      default:
        // TEXT excludes the controls (RFC 5545 3.3.11: CONTROL = %x00-08 / %x0A-1F / %x7F).
        if (static_cast<unsigned char>(c) < 0x20U || c == '\x7F') break;
        escaped += c;
    }
  }
  return escaped;
}

void AppendContentLine(std::string& out, std::string_view line) {
  // The first physical line holds 75 octets; each continuation line a space and 74 more.
  std::size_t limit = kMaxLineOctets;
  while (line.size() > limit) {
    std::size_t cut = limit;
    // Step back to the first octet of a UTF-8 sequence, so the fold falls between characters. A
    // sequence is at most 4 octets, so this leaves at least 70 octets on the line.
    while (cut > 0 && IsUtf8Continuation(line[cut])) --cut;
    if (cut == 0) cut = limit;  // not UTF-8 at all: fold anyway rather than loop
    out.append(line.substr(0, cut));
    out += "\r\n ";
    line.remove_prefix(cut);
    limit = kMaxLineOctets - 1;
  }
  out.append(line);
  out += "\r\n";
}

std::string IcsUtcDateTime(std::chrono::sys_seconds instant) {
  return date::format("%Y%m%dT%H%M%SZ", instant);
}

void AppendIcsCalendarHeader(std::string& out, std::string_view title) {
  AppendContentLine(out, "BEGIN:VCALENDAR");
  AppendContentLine(out, "VERSION:2.0");
  AppendContentLine(out, "PRODID:-//Patchcast//Patch calendars//EN");
  AppendContentLine(out, "CALSCALE:GREGORIAN");
  AppendContentLine(out, "X-WR-CALNAME:" + EscapeIcsText(title));
  // RFC 7986 5.7, and its older de facto twin: how often subscribers should poll.
  AppendContentLine(out, "REFRESH-INTERVAL;VALUE=DURATION:PT6H");
  AppendContentLine(out, "X-PUBLISHED-TTL:PT6H");
}

std::string WriteIcsCalendar(std::span<const calendars::Event> events, std::string_view title) {
  std::string out;
  out.reserve(256 + events.size() * 420);
  AppendIcsCalendarHeader(out, title);
  for (const calendars::Event& event : events) AppendEvent(out, event);
  AppendContentLine(out, "END:VCALENDAR");
  return out;
}

}  // namespace patchcast::api
