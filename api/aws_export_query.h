// The query string and the paged answer of a plan's AWS formats (?format=aws-scheduled-actions and
// ?format=aws-delete-scheduled-actions, aws_scheduled_actions.h): which group, from which instant,
// how many actions, which page. Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string_view>

#include "api/aws_scheduled_actions.h"
#include "api/http_types.h"
#include "core/result.h"

namespace patchcast::api {

// The query parameters only the AWS formats take.
inline constexpr std::string_view kAwsExportParameters[] = {"at", "max_actions", "page"};

struct AwsExportQuery {
  AwsExportOptions options;
  std::optional<std::size_t> page;  // 1-based; nullopt for ?page=all
};

// Reads `request`'s ?group= (CheckAwsGroupName), ?at= (RFC 3339; default `now`), ?max_actions=
// (an integer from 1 to 125; default 125) and ?page= (a positive integer, default 1, or "all") for
// `format`. Errors (kInvalidArgument) name the parameter: CheckAwsGroupName's;
// "query parameter 'at': timestamp 'x' is not an RFC 3339 date-time like 2026-11-01T00:00:00Z";
// "query parameter 'max_actions' must be an integer from 1 to 125, not '200'";
// "query parameter 'page' must be a positive integer or 'all', not '0'".
Result<AwsExportQuery> ParseAwsExportQuery(const Request& request, std::string_view format,
                                           std::chrono::sys_seconds now);

// Fails when `request` gives one of kAwsExportParameters with a format that is not an AWS one
// (kInvalidArgument "query parameter 'page' applies only to formats aws-scheduled-actions and
// aws-delete-scheduled-actions, not csv"); succeeds otherwise.
Status CheckNotAwsExport(const Request& request, std::string_view format);

// Answers with the calls AwsPutCalls or AwsDeleteCalls made for `query`: with a page number, that
// call's input alone (what `aws ... --cli-input-json` reads); with page=all, the JSON array of
// every call's input (empty when there is none). Headers: Patchcast-Page-Count (the number of
// calls), Patchcast-Action-Count (actions or names over every call), Patchcast-At
// (query.options.after, RFC 3339: give it as ?at= to fetch the other pages as of the same instant)
// and, for one page, Patchcast-Page. Errors: kInvalidArgument "query parameter 'page': 4 is past
// the last page, 3"; kUnprocessable `nothing` when `calls` is empty and a page number is asked.
Result<Response> AwsCallsResponse(std::span<const nlohmann::json> calls,
                                  const AwsExportQuery& query, std::string_view nothing);

}  // namespace patchcast::api
