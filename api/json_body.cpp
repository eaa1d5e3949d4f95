#include "api/json_body.h"

#include <algorithm>

#include "api/quoted_input.h"

namespace patchcast::api {

Result<nlohmann::json> ParseJsonObject(std::string_view body, bool allow_empty,
                                       const JsonLimits& limits) {
  return ParseJsonObject(body, allow_empty, limits, nullptr);
}

Result<nlohmann::json> ParseJsonObject(std::string_view body, bool allow_empty,
                                       const JsonLimits& limits,
                                       const nlohmann::json::parser_callback_t& filter) {
  if (body.empty() && allow_empty) return nlohmann::json::object();
  if (Status bounded = CheckJsonLimits(body, limits); !bounded) return bounded.error();
  // The check read the whole text, so this parse cannot fail: a throw here is a bug (a 500).
  nlohmann::json parsed = nlohmann::json::parse(body, filter);
  if (!parsed.is_object()) return InvalidArgument("request body must be a JSON object");
  return parsed;
}

Status RejectUnknownFields(const nlohmann::json& object, std::span<const std::string_view> known) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (std::find(known.begin(), known.end(), it.key()) == known.end()) {
      return InvalidArgument("unknown field " + QuotedInput(it.key()) + " in the request body");
    }
  }
  return {};
}

Result<std::string> OptionalString(const nlohmann::json& object, std::string_view name) {
  auto it = object.find(name);
  if (it == object.end()) return std::string();
  if (!it->is_string()) {
    return InvalidArgument("field '" + std::string(name) + "' must be a string, not " +
                           it->type_name());
  }
  return it->get<std::string>();
}

}  // namespace patchcast::api
