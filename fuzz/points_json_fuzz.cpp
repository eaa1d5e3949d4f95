// Fuzzes ParsePointsJson, the streaming (SAX) application/json upload parser. Beyond never
// crashing: a refusal names a reason and lists at most 20 rows, and the points of an accepted
// body, written back in the other two shapes ({"points":[[ts, v]]} and {"timestamps","values"}),
// parse to the same points.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/points_json.h"
#include "api/timestamp_format.h"
#include "fuzz/fuzz_support.h"

namespace patchcast::fuzz {
namespace {

// A small limit, so that the too-many-points refusal is reached too.
constexpr api::ParseLimits kLimits{.max_points = 1000, .max_value = 1e15};

std::string PairsOf(const api::ParsedPoints& parsed) {
  std::string json = R"({"points":[)";
  for (const forecasting::Point& point : parsed.points) {
    if (json.back() != '[') json += ',';
    json += "[\"";
    api::AppendRfc3339(json, point.ts);
    json += "\",";
    AppendNumber(json, point.value);
    json += ']';
  }
  return json + "]}";
}

// Timestamps as integer Unix seconds this time.
std::string ColumnsOf(const api::ParsedPoints& parsed) {
  std::string timestamps = R"({"timestamps":[)";
  std::string values = R"(],"values":[)";
  for (const forecasting::Point& point : parsed.points) {
    if (timestamps.back() != '[') timestamps += ',';
    if (values.back() != '[') values += ',';
    timestamps += std::to_string(point.ts.time_since_epoch().count());
    AppendNumber(values, point.value);
  }
  return timestamps + values + "]}";
}

void ExpectSamePoints(const api::ParsedPoints& parsed, const std::string& body) {
  const auto again = api::ParsePointsJson(body, kLimits);
  Expect(again.has_value(), "accepted points written back as JSON parse");
  Expect(again->points == parsed.points, "accepted points written back read the same");
}

void Check(std::string_view body) {
  const auto parsed = api::ParsePointsJson(body, kLimits);
  if (!parsed) {
    Expect(!parsed.error().message.empty(), "a refusal has a message");
    Expect(parsed.error().details.size() <= 20, "a refusal lists at most 20 rows");
    return;
  }
  Expect(parsed->points.size() <= kLimits.max_points, "the point limit holds");
  ExpectSamePoints(*parsed, PairsOf(*parsed));
  ExpectSamePoints(*parsed, ColumnsOf(*parsed));
}

}  // namespace
}  // namespace patchcast::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  patchcast::fuzz::Check(patchcast::fuzz::AsText(data, size));
  return 0;
}
