#include "api/error_response.h"

#include <nlohmann/json.hpp>

namespace patchcast::api {

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kUnprocessable:
      return 422;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInsufficientStorage:
      return 507;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

Response ErrorResponse(int status, std::string_view code, std::string_view message,
                       std::string_view request_id, const std::vector<std::string>& details) {
  nlohmann::json error = {{"code", code}, {"message", message}, {"details", details}};
  if (!request_id.empty()) error["request_id"] = request_id;
  Response response;
  response.status = status;
  response.content_type = "application/json";
  // Replace invalid UTF-8 (e.g. echoed from a malformed request) instead of throwing.
  response.body = nlohmann::json{{"error", std::move(error)}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  response.body += '\n';
  return response;
}

Response ErrorResponse(const Error& error, std::string_view request_id) {
  Response response = ErrorResponse(HttpStatusFor(error.code), ErrorCodeName(error.code),
                                    error.message, request_id, error.details);
  if (error.code == ErrorCode::kUnavailable) response.headers.Set("Retry-After", "1");
  return response;
}

std::string_view ErrorCodeForStatus(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 401:
      return "unauthenticated";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 408:
      return "request_timeout";
    case 409:
      return "conflict";
    case 411:
      return "length_required";
    case 413:
      return "payload_too_large";
    case 414:
      return "uri_too_long";
    case 415:
      return "unsupported_media_type";
    case 416:
      return "range_not_satisfiable";
    case 422:
      return "unprocessable";
    case 429:
      return "too_many_requests";
    case 431:
      return "header_fields_too_large";
    case 503:
      return "unavailable";
    case 507:
      return "insufficient_storage";
    default:
      return status >= 500 ? "internal" : "bad_request";
  }
}

}  // namespace patchcast::api
