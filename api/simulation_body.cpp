#include "api/simulation_body.h"

#include <algorithm>

#include "api/json_body.h"

namespace patchcast::api {
namespace {

using nlohmann::json;
using Event = json::parse_event_t;

// Depths as nlohmann's parser callback counts them: the body's members are at 1, the demand's
// at 2, the elements of its values at 3.
constexpr int kBodyMember = 1;
constexpr int kDemandMember = 2;
constexpr int kValuesElement = 3;

// Follows the parse, keeping the elements of "demand"."values" out of the document.
class DemandValuesDiverter {
 public:
  explicit DemandValuesDiverter(std::size_t most_values) : most_values_(most_values) {}

  // The parser callback: false drops `parsed` from the document.
  bool operator()(int depth, Event event, json& parsed) {
    if (event == Event::key && depth == kBodyMember) body_key_ = parsed.get<std::string>();
    if (event == Event::key && depth == kDemandMember) demand_key_ = parsed.get<std::string>();
    const bool in_values = body_key_ == "demand" && demand_key_ == "values";
    if (!in_values) return true;
    if (event == Event::array_start && depth == kDemandMember) {
      // A compact number takes at least two bytes with its comma: never reserve more than that.
      values_.emplace();
      values_->numbers.reserve(most_values_);
      return true;
    }
    const bool element_ends =
        event == Event::value || event == Event::object_end || event == Event::array_end;
    if (!element_ends || depth != kValuesElement || !values_) return true;
    AddDemandValue(*values_, parsed);
    return false;
  }

  std::optional<DemandValues> Take() { return std::move(values_); }

 private:
  const std::size_t most_values_;
  std::string body_key_;
  std::string demand_key_;
  std::optional<DemandValues> values_;
};

}  // namespace

void AddDemandValue(DemandValues& values, const json& element) {
  if (!values.first_non_number) {
    if (element.is_number()) {
      values.numbers.push_back(element.get<double>());
    } else {
      values.first_non_number = values.count;
      values.first_non_number_json = element.dump();
    }
  }
  ++values.count;
}

Result<SimulationBody> ParseSimulationBody(std::string_view text, const JsonLimits& limits) {
  DemandValuesDiverter diverter(std::min(text.size() / 2 + 1, limits.max_values));
  auto document = ParseJsonObject(
      text, /*allow_empty=*/false, limits,
      [&diverter](int depth, Event event, json& parsed) { return diverter(depth, event, parsed); });
  if (!document) return document.error();
  return SimulationBody{std::move(*document), diverter.Take()};
}

}  // namespace patchcast::api
