#include "api/aws_export_query.h"

#include <charconv>
#include <string>

#include "api/json_response.h"
#include "api/point_text.h"
#include "api/query_params.h"
#include "api/quoted_input.h"
#include "api/timestamp_format.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

// `text` as a whole decimal number (digits only, no sign), or nullopt.
std::optional<std::size_t> ParseCount(std::string_view text) {
  std::size_t value = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) return std::nullopt;
  return value;
}

Result<std::size_t> ParseMaxActions(std::optional<std::string_view> text) {
  if (!text) return kAwsMaxActionsPerGroup;
  auto count = ParseCount(*text);
  if (!count || *count < 1 || *count > kAwsMaxActionsPerGroup) {
    return InvalidArgument("query parameter 'max_actions' must be an integer from 1 to " +
                           std::to_string(kAwsMaxActionsPerGroup) + ", not " + QuotedInput(*text));
  }
  return *count;
}

Result<std::optional<std::size_t>> ParsePage(std::optional<std::string_view> text) {
  if (!text) return std::optional<std::size_t>(1);
  if (*text == "all") return std::optional<std::size_t>();
  auto page = ParseCount(*text);
  if (!page || *page < 1) {
    return InvalidArgument("query parameter 'page' must be a positive integer or 'all', not " +
                           QuotedInput(*text));
  }
  return page;
}

std::size_t ActionCount(std::span<const json> calls) {
  std::size_t count = 0;
  for (const json& call : calls) {
    for (const char* key : {"ScheduledUpdateGroupActions", "ScheduledActionNames"}) {
      if (auto it = call.find(key); it != call.end()) count += it->size();
    }
  }
  return count;
}

}  // namespace

Result<AwsExportQuery> ParseAwsExportQuery(const Request& request, std::string_view format,
                                           std::chrono::sys_seconds now) {
  AwsExportQuery query;
  const std::string_view group = request.Query("group").value_or("");
  if (Status valid = CheckAwsGroupName(group, format); !valid) return valid.error();
  query.options.group = std::string(group);
  query.options.after = now;
  if (auto text = request.Query("at")) {
    auto at = ParseRfc3339Seconds(*text);
    if (!at) return ParameterError("at", at.error());
    query.options.after = *at;
  }
  auto max_actions = ParseMaxActions(request.Query("max_actions"));
  if (!max_actions) return max_actions.error();
  query.options.max_actions = *max_actions;
  auto page = ParsePage(request.Query("page"));
  if (!page) return page.error();
  query.page = *page;
  return query;
}

Status CheckNotAwsExport(const Request& request, std::string_view format) {
  if (format == kAwsPutFormat || format == kAwsDeleteFormat) return {};
  for (std::string_view name : kAwsExportParameters) {
    if (request.Query(name)) {
      return InvalidArgument("query parameter '" + std::string(name) +
                             "' applies only to formats " + std::string(kAwsPutFormat) + " and " +
                             std::string(kAwsDeleteFormat) + ", not " + std::string(format));
    }
  }
  return {};
}

Result<Response> AwsCallsResponse(std::span<const json> calls, const AwsExportQuery& query,
                                  std::string_view nothing) {
  Response response;
  if (query.page) {
    if (calls.empty()) return Unprocessable(std::string(nothing));
    if (*query.page > calls.size()) {
      return InvalidArgument("query parameter 'page': " + std::to_string(*query.page) +
                             " is past the last page, " + std::to_string(calls.size()));
    }
    response = JsonResponse(calls[*query.page - 1]);
    response.headers.Set("Patchcast-Page", std::to_string(*query.page));
  } else {
    response = JsonResponse(json(std::vector<json>(calls.begin(), calls.end())));
  }
  response.headers.Set("Patchcast-Page-Count", std::to_string(calls.size()));
  response.headers.Set("Patchcast-Action-Count", std::to_string(ActionCount(calls)));
  response.headers.Set("Patchcast-At", FormatRfc3339(query.options.after));
  return response;
}

}  // namespace patchcast::api
