#include "calendars/msrc_history.h"

#include <algorithm>
#include <array>
#include <utility>

#include "calendars/time_text.h"

namespace patchcast::calendars {
namespace generated {
// Defined in the file embed_text.cmake generates from the CSV at build time.
extern const std::string_view kMsrcReleaseCalendarCsv;
}  // namespace generated

namespace {

constexpr std::array<std::pair<HistoryKind, std::string_view>, 5> kKindNames{{
    {HistoryKind::kPatchTuesday, "patch_tuesday"},
    {HistoryKind::kNoRelease, "no_release"},
    {HistoryKind::kOutOfBand, "out_of_band"},
    {HistoryKind::kAdvanceNotice, "advance_notice"},
    {HistoryKind::kPreSchedule, "pre_schedule"},
}};

constexpr std::string_view kHeader = "date,kind,id,note,source";

Error AtLine(int line, std::string message) {
  return InvalidArgument("line " + std::to_string(line) + ": " + message);
}

// Reads CSV records (RFC 4180) one at a time.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {}

  bool done() const { return pos_ >= text_.size(); }
  // The line on which the record last read started.
  int record_line() const { return record_line_; }

  // Reads the next record into `fields`. Fails on an unterminated quote or text after a closing
  // one.
  Status Next(std::vector<std::string>& fields) {
    fields.clear();
    record_line_ = ++line_;
    std::string field;
    bool quoted = false;  // inside a quoted field
    bool closed = false;  // just after a quoted field's closing quote
    while (true) {
      if (pos_ >= text_.size()) {
        if (quoted) return AtLine(record_line_, "unterminated quoted field");
        fields.push_back(std::move(field));
        return {};
      }
      const char c = text_[pos_++];
      if (quoted) {
        if (c != '"') {
          if (c == '\n') ++line_;
          field.push_back(c);
        } else if (pos_ < text_.size() && text_[pos_] == '"') {
          field.push_back('"');  // "" inside quotes is one quote
          ++pos_;
        } else {
          quoted = false;
          closed = true;
        }
        continue;
      }
      if (c == ',') {
        fields.push_back(std::move(field));
        field.clear();
        closed = false;
      } else if (c == '\n' || (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n')) {
        if (c == '\r') ++pos_;
        fields.push_back(std::move(field));
        return {};
      } else if (closed) {
        return AtLine(record_line_, "unexpected text after a quoted field");
      } else if (c == '"' && field.empty()) {
        quoted = true;
      } else {
        field.push_back(c);
      }
    }
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 0;
  int record_line_ = 0;
};

date::year_month MonthOf(date::year_month_day day) { return day.year() / day.month(); }

}  // namespace

std::string_view ToString(HistoryKind kind) {
  for (const auto& [candidate, name] : kKindNames) {
    if (candidate == kind) return name;
  }
  return "unknown";
}

Result<MsrcHistory> ParseMsrcHistory(std::string_view csv) {
  MsrcHistory history;
  CsvReader reader(csv);
  std::vector<std::string> fields;
  bool header_seen = false;
  while (!reader.done()) {
    if (Status status = reader.Next(fields); !status) return status.error();
    const int line = reader.record_line();
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (!header_seen) {
      if (fields.size() != 5 ||
          fields[0] + "," + fields[1] + "," + fields[2] + "," + fields[3] + "," + fields[4] !=
              kHeader) {
        return AtLine(line, "header must be '" + std::string(kHeader) + "'");
      }
      header_seen = true;
      continue;
    }
    if (fields.size() != 5) {
      return AtLine(line, "expected 5 fields, found " + std::to_string(fields.size()));
    }
    Result<date::year_month_day> date = ParseDate(fields[0]);
    if (!date) return AtLine(line, date.error().message);
    const auto kind = std::find_if(kKindNames.begin(), kKindNames.end(),
                                   [&](const auto& entry) { return entry.second == fields[1]; });
    if (kind == kKindNames.end()) return AtLine(line, "unknown kind '" + fields[1] + "'");
    history.rows.push_back(HistoryRow{*date, kind->first, std::move(fields[2]),
                                      std::move(fields[3]), std::move(fields[4]), line});
  }
  if (!header_seen) return AtLine(1, "header must be '" + std::string(kHeader) + "'");
  if (history.rows.empty()) return InvalidArgument("the history has no rows");
  std::stable_sort(history.rows.begin(), history.rows.end(),
                   [](const HistoryRow& a, const HistoryRow& b) { return a.date < b.date; });
  history.first_month = MonthOf(history.rows.front().date);
  history.last_month = MonthOf(history.rows.back().date);
  return history;
}

std::string_view EmbeddedMsrcHistoryCsv() { return generated::kMsrcReleaseCalendarCsv; }

const Result<MsrcHistory>& EmbeddedMsrcHistory() {
  // A function-local static: initialised once, thread-safely, on first use (C++11 [stmt.dcl]/4).
  static const Result<MsrcHistory> history = []() -> Result<MsrcHistory> {
    Result<MsrcHistory> parsed = ParseMsrcHistory(EmbeddedMsrcHistoryCsv());
    if (!parsed) return Internal("embedded MSRC history: " + parsed.error().message);
    return parsed;
  }();
  return history;
}

std::optional<int> CountBulletins(std::string_view ids) {
  if (ids.empty()) return std::nullopt;
  int count = 0;
  while (true) {
    const std::size_t end = ids.find(';');
    const std::string_view id = ids.substr(0, end);
    // "MSyy-nnn": two-digit year, three-digit number (MS03-001 .. MS17-023).
    const bool is_bulletin =
        id.size() == 8 && id[0] == 'M' && id[1] == 'S' && id[4] == '-' &&
        std::all_of(id.begin() + 2, id.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }) &&
        std::all_of(id.begin() + 5, id.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!is_bulletin) return std::nullopt;
    ++count;
    if (end == std::string_view::npos) return count;
    ids.remove_prefix(end + 1);
  }
}

}  // namespace patchcast::calendars
