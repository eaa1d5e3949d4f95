// Fuzzes the text forms of time: the upload timestamps (api/point_text.h), the calendars' strict
// dates and date-times (calendars/time_text.h) and the writers of both. Beyond never crashing:
// what a parser accepts, written back by its writer, parses to the same value; where both the
// upload parser and the calendars' instant parser accept a text, they agree on the instant; and a
// refusal always has a message.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "api/point_text.h"
#include "api/timestamp_format.h"
#include "calendars/time_text.h"
#include "fuzz/fuzz_support.h"

namespace patchcast::fuzz {
namespace {

using std::chrono::sys_seconds;

void CheckUploadTimestamp(std::string_view text) {
  sys_seconds rfc3339{};
  const api::TimestampError error = api::ParseRfc3339(text, rfc3339);
  const auto seconds = api::ParseRfc3339Seconds(text);
  Expect(seconds.has_value() == (error == api::TimestampError::kNone),
         "ParseRfc3339Seconds agrees with ParseRfc3339");
  if (error != api::TimestampError::kNone) {
    Expect(!api::DescribeTimestampError(error, text).empty(), "a refused timestamp has a reason");
  } else {
    Expect(*seconds == rfc3339, "ParseRfc3339Seconds gives ParseRfc3339's instant");
    sys_seconds again{};
    Expect(api::ParseRfc3339(api::FormatRfc3339(rfc3339), again) == api::TimestampError::kNone &&
               again == rfc3339,
           "an accepted timestamp written back reads the same");
    const auto calendars_instant = calendars::ParseUtcDateTime(text);
    Expect(!calendars_instant || *calendars_instant == rfc3339,
           "the calendars' instant parser agrees where it accepts the text too");
  }
  sys_seconds csv{};
  const api::TimestampError csv_error = api::ParseTimestampText(text, csv);
  Expect(error != api::TimestampError::kNone || (csv_error == error && csv == rfc3339),
         "ParseTimestampText accepts what ParseRfc3339 accepts");
  if (csv_error != api::TimestampError::kNone) {
    Expect(!api::DescribeTimestampError(csv_error, text).empty(), "a refused text has a reason");
  }
}

void CheckUnixSeconds(std::int64_t seconds) {
  sys_seconds instant{};
  if (api::UnixSecondsToTime(seconds, instant) != api::TimestampError::kNone) return;
  sys_seconds again{};
  Expect(api::ParseRfc3339(api::FormatRfc3339(instant), again) == api::TimestampError::kNone &&
             again == instant,
         "every instant UnixSecondsToTime accepts is written and read back");
}

void CheckValue(std::string_view text) {
  double value = 0;
  const api::ValueError error = api::ParseValueText(text, 1e15, value);
  if (error != api::ValueError::kNone) {
    Expect(!api::DescribeValueError(error, text, 1e15).empty(), "a refused value has a reason");
    return;
  }
  Expect(value >= 0 && value <= 1e15, "an accepted value is in range");
  std::string written;
  AppendNumber(written, value);
  double again = -1;
  Expect(api::ParseValueText(written, 1e15, again) == api::ValueError::kNone && again == value,
         "an accepted value written back reads the same");
}

void CheckCalendarTexts(std::string_view text) {
  if (const auto day = calendars::ParseDate(text)) {
    Expect(calendars::FormatDate(*day) == text, "a strict date is written as it was read");
  } else {
    Expect(!day.error().message.empty(), "a refused date has a reason");
  }
  if (const auto local = calendars::ParseLocalDateTime(text)) {
    const auto again = calendars::ParseLocalDateTime(calendars::FormatLocalDateTime(*local));
    Expect(again && *again == *local, "a local date-time written back reads the same");
  }
  if (const auto instant = calendars::ParseUtcDateTime(text)) {
    // An offset can move year 0000 or 9999 out of the four-digit range the format writes.
    const date::year year = date::year_month_day{std::chrono::floor<date::days>(*instant)}.year();
    if (year >= date::year{0} && year <= date::year{9999}) {
      const auto again = calendars::ParseUtcDateTime(calendars::FormatUtcDateTime(*instant));
      Expect(again && *again == *instant, "an instant written back reads the same");
    }
  }
}

void Check(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = AsText(data, size);
  CheckUploadTimestamp(text);
  CheckValue(text);
  CheckCalendarTexts(text);
  if (size >= sizeof(std::int64_t)) {
    std::int64_t seconds = 0;
    std::memcpy(&seconds, data, sizeof seconds);
    CheckUnixSeconds(seconds);
  }
}

}  // namespace
}  // namespace patchcast::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  patchcast::fuzz::Check(data, size);
  return 0;
}
