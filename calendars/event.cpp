#include "calendars/event.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <span>
#include <tuple>
#include <utility>

#include "calendars/time_text.h"
#include "core/enum_names.h"

namespace patchcast::calendars {
namespace {

constexpr EnumNames<EventKind, 5> kKindNames{{
    {EventKind::kRelease, "release"},
    {EventKind::kAdvanceNotice, "advance_notice"},
    {EventKind::kOutOfBand, "out_of_band"},
    {EventKind::kPreview, "preview"},
    {EventKind::kCustom, "custom"},
}};
constexpr EnumNames<Severity, 4> kSeverityNames{{
    {Severity::kCritical, "critical"},
    {Severity::kImportant, "important"},
    {Severity::kModerate, "moderate"},
    {Severity::kLow, "low"},
}};
constexpr EnumNames<EventSource, 4> kSourceNames{{
    {EventSource::kRule, "rule"},
    {EventSource::kHistory, "history"},
    {EventSource::kOverride, "override"},
    {EventSource::kApi, "api"},
}};

// The pieces whose concatenation is an event's id. Holding the date and suffix text inline keeps
// id comparison free of allocation; it runs in every sort of every query.
class IdPieces {
 public:
  explicit IdPieces(const Event& event) : date_(event.scheduled_date) {
    pieces_[0] = event.calendar_id;
    pieces_[1] = ":";
    pieces_[2] = date_.view();
    pieces_[3] = ":";
    pieces_[4] = ToString(event.kind);
    count_ = 5;
    if (event.ordinal > 0) {
      suffix_[0] = ':';
      const auto [end, ec] =
          std::to_chars(suffix_ + 1, suffix_ + sizeof suffix_, event.ordinal + 1);
      (void)ec;  // cannot fail: an ordinal has at most five digits and the buffer holds seven
      pieces_[5] = std::string_view(suffix_, static_cast<std::size_t>(end - suffix_));
      count_ = 6;
    }
  }
  IdPieces(const IdPieces&) = delete;  // pieces_ points into this object
  IdPieces& operator=(const IdPieces&) = delete;

  std::span<const std::string_view> pieces() const { return {pieces_.data(), count_}; }

 private:
  DateText date_;
  char suffix_[8];
  std::array<std::string_view, 6> pieces_;
  std::size_t count_ = 0;
};

// Byte-wise comparison of two strings given as concatenations of pieces.
std::strong_ordering ComparePieces(std::span<const std::string_view> a,
                                   std::span<const std::string_view> b) {
  std::size_t ai = 0, bi = 0;  // current piece
  std::size_t ao = 0, bo = 0;  // offset inside it
  while (true) {
    while (ai < a.size() && ao == a[ai].size()) ++ai, ao = 0;
    while (bi < b.size() && bo == b[bi].size()) ++bi, bo = 0;
    const bool a_done = ai == a.size();
    const bool b_done = bi == b.size();
    if (a_done || b_done) return b_done <=> a_done;  // the shorter string sorts first
    const std::size_t n = std::min(a[ai].size() - ao, b[bi].size() - bo);
    const int c = a[ai].substr(ao, n).compare(b[bi].substr(bo, n));
    if (c != 0) return c < 0 ? std::strong_ordering::less : std::strong_ordering::greater;
    ao += n;
    bo += n;
  }
}

}  // namespace

std::string_view ToString(EventKind kind) { return NameOf(kKindNames, kind); }
std::string_view ToString(Severity severity) { return NameOf(kSeverityNames, severity); }
std::string_view ToString(EventSource source) { return NameOf(kSourceNames, source); }

Result<EventKind> ParseEventKind(std::string_view text) {
  return ParseName(kKindNames, "event kind", text);
}
Result<Severity> ParseSeverity(std::string_view text) {
  return ParseName(kSeverityNames, "severity", text);
}
Result<EventSource> ParseEventSource(std::string_view text) {
  return ParseName(kSourceNames, "event source", text);
}

std::string Event::Id() const {
  const IdPieces pieces(*this);
  std::string id;
  for (std::string_view piece : pieces.pieces()) id += piece;
  return id;
}

std::string_view Event::ZoneName() const {
  return zone == nullptr ? std::string_view{} : std::string_view{zone->name()};
}

void AssignOrdinals(std::vector<Event>& events) {
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return std::tie(a.calendar_id, a.scheduled_date, a.kind, a.start, a.local_start) <
           std::tie(b.calendar_id, b.scheduled_date, b.kind, b.start, b.local_start);
  });
  for (std::size_t i = 0; i < events.size(); ++i) {
    const bool same_group = i > 0 && events[i].calendar_id == events[i - 1].calendar_id &&
                            events[i].scheduled_date == events[i - 1].scheduled_date &&
                            events[i].kind == events[i - 1].kind;
    events[i].ordinal = same_group ? static_cast<std::uint16_t>(events[i - 1].ordinal + 1) : 0;
  }
}

std::strong_ordering CompareIds(const Event& a, const Event& b) {
  // Fast path: two calendar ids that differ before either ends decide the order by themselves
  // (events of different calendars at one instant are the common tie in a sort).
  const std::size_t common = std::min(a.calendar_id.size(), b.calendar_id.size());
  for (std::size_t i = 0; i < common; ++i) {
    if (a.calendar_id[i] != b.calendar_id[i]) {
      return static_cast<unsigned char>(a.calendar_id[i]) <=>
             static_cast<unsigned char>(b.calendar_id[i]);
    }
  }
  const IdPieces a_pieces(a);
  const IdPieces b_pieces(b);
  return ComparePieces(a_pieces.pieces(), b_pieces.pieces());
}

bool StartThenIdLess(const Event& a, const Event& b) {
  if (a.start != b.start) return a.start < b.start;
  return CompareIds(a, b) < 0;
}

}  // namespace patchcast::calendars
