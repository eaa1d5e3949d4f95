// Fuzzes ParsePointsCsv, the text/csv upload parser. Beyond never crashing: a refusal names a
// reason and lists at most 20 rows, and the points of an accepted body, written back as plain
// CSV, parse to the same points.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/points_csv.h"
#include "api/timestamp_format.h"
#include "fuzz/fuzz_support.h"

namespace patchcast::fuzz {
namespace {

// A small limit, so that the too-many-points refusal is reached too.
constexpr api::ParseLimits kLimits{.max_points = 1000, .max_value = 1e15};

std::string CsvOf(const api::ParsedPoints& parsed) {
  std::string csv = "ts,value\n";
  for (const forecasting::Point& point : parsed.points) {
    api::AppendRfc3339(csv, point.ts);
    csv += ',';
    AppendNumber(csv, point.value);
    csv += '\n';
  }
  return csv;
}

void Check(std::string_view body) {
  const auto parsed = api::ParsePointsCsv(body, kLimits);
  if (!parsed) {
    Expect(!parsed.error().message.empty(), "a refusal has a message");
    Expect(parsed.error().details.size() <= 20, "a refusal lists at most 20 rows");
    return;
  }
  Expect(parsed->points.size() <= kLimits.max_points, "the point limit holds");
  const auto again = api::ParsePointsCsv(CsvOf(*parsed), kLimits);
  Expect(again.has_value(), "accepted points written back as CSV parse");
  Expect(again->points == parsed->points, "accepted points written back read the same");
}

}  // namespace
}  // namespace patchcast::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  patchcast::fuzz::Check(patchcast::fuzz::AsText(data, size));
  return 0;
}
