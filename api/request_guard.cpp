#include "api/request_guard.h"

#include <algorithm>
#include <charconv>
#include <variant>

#include "api/error_response.h"
#include "api/message_syntax.h"

namespace patchcast::api {
namespace {

constexpr std::size_t kMaxTokenLength = 512;
constexpr std::string_view kRealm = "Bearer realm=\"patchcast\"";

std::string AllowHeader(const std::vector<Method>& allowed) {
  std::string value;
  for (Method method : allowed) {
    if (!value.empty()) value += ", ";
    value += MethodName(method);
  }
  return value;
}

bool IsToken68Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

// True if the request carries body bytes the guard is about to leave unread.
bool AnnouncesBody(const HeaderMap& headers) {
  if (headers.Has("Transfer-Encoding")) return true;
  auto length = headers.Get("Content-Length");
  return length.has_value() && *length != "0";
}

Response Reject(const RequestHead& head, std::string_view request_id, int status,
                std::string_view message) {
  Response response = ErrorResponse(status, ErrorCodeForStatus(status), message, request_id);
  response.close_connection = AnnouncesBody(head.headers);
  return response;
}

// Returns the principal for a route requiring `required`, or the 401/403 response.
std::variant<std::optional<Principal>, Response> Authenticate(const RequestHead& head,
                                                              std::string_view request_id,
                                                              Scope required,
                                                              const Authenticator& authenticator) {
  if (required == Scope::kPublic) return std::optional<Principal>{};
  if (!authenticator.enabled()) {
    return std::optional<Principal>{Principal{"anonymous", Scope::kAdmin, ""}};
  }
  auto header = head.headers.Get("Authorization");
  if (!header) {
    Response response =
        Reject(head, request_id, 401, "missing credentials: send 'Authorization: Bearer <token>'");
    response.headers.Set("WWW-Authenticate", std::string(kRealm));
    return response;
  }
  auto token = ParseBearerToken(*header);
  std::optional<Principal> principal;
  if (token) principal = authenticator.Authenticate(*token);
  if (!principal) {
    Response response = Reject(
        head, request_id, 401,
        token ? "invalid credentials: the bearer token is not a known key" : token.error().message);
    response.headers.Set("WWW-Authenticate", std::string(kRealm) + ", error=\"invalid_token\"");
    return response;
  }
  if (!Covers(principal->scope, required)) {
    Response response =
        Reject(head, request_id, 403,
               "key '" + principal->name + "' has scope '" + ScopeName(principal->scope) +
                   "'; this route needs '" + ScopeName(required) + "'");
    response.headers.Set("WWW-Authenticate", std::string(kRealm) +
                                                 ", error=\"insufficient_scope\", scope=\"" +
                                                 ScopeName(required) + "\"");
    return response;
  }
  return principal;
}

// Checks Transfer-Encoding, Content-Encoding, Content-Length and Content-Type. Returns the error
// response, or nullopt when the body may be read.
std::optional<Response> CheckBodyFraming(const RequestHead& head, std::string_view request_id,
                                         const Route& route, const GuardOptions& options) {
  const HeaderMap& headers = head.headers;
  if (headers.Has("Transfer-Encoding")) {
    return Reject(head, request_id, 411,
                  "Transfer-Encoding is not accepted; send the body with a Content-Length");
  }
  if (headers.Has("Content-Encoding")) {
    return Reject(head, request_id, 415,
                  "compressed bodies (Content-Encoding) are not accepted: their inflated size is "
                  "unbounded; send large uploads uncompressed in several requests");
  }
  const std::string media_type = MediaType(headers.Get("Content-Type").value_or(""));
  if (media_type.starts_with("multipart/")) {
    return Reject(head, request_id, 415,
                  "multipart bodies (Content-Type '" + media_type +
                      "') are not accepted; send the document as the whole body");
  }
  const std::size_t length_fields = headers.Count("Content-Length");
  if (length_fields > 1) {
    return Reject(head, request_id, 400, "Content-Length appears more than once");
  }
  std::uint64_t length = 0;
  if (length_fields == 1) {
    std::string_view text = *headers.Get("Content-Length");
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), length);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
      return Reject(head, request_id, 400,
                    "Content-Length '" + std::string(text) + "' is not a non-negative integer");
    }
  }
  if (length > options.max_body_bytes) {
    return Reject(head, request_id, 413,
                  "request body of " + std::to_string(length) + " bytes exceeds the limit of " +
                      std::to_string(options.max_body_bytes) +
                      " bytes; split large uploads into several requests");
  }
  if (length == 0) return std::nullopt;
  if (route.accepts.empty()) {
    return Reject(head, request_id, 415,
                  std::string(MethodName(route.method)) + " " + route.path + " takes no body");
  }
  std::string accepted;
  for (const std::string& type : route.accepts) {
    if (type == media_type) return std::nullopt;
    accepted += (accepted.empty() ? "" : ", ") + type;
  }
  std::string sent = media_type.empty() ? "no Content-Type" : "Content-Type '" + media_type + "'";
  return Reject(head, request_id, 415,
                sent + " is not accepted by " + route.path + "; send one of: " + accepted);
}

}  // namespace

Result<std::string_view> ParseBearerToken(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size() ||
      !EqualsIgnoreCase(authorization.substr(0, kScheme.size()), kScheme)) {
    return InvalidArgument("malformed Authorization header: expected 'Bearer <token>'");
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  std::string_view body = token;
  while (!body.empty() && body.back() == '=') body.remove_suffix(1);
  if (body.empty() || token.size() > kMaxTokenLength ||
      !std::all_of(body.begin(), body.end(), IsToken68Char)) {
    return InvalidArgument(
        "malformed Authorization header: the bearer token has characters outside RFC 6750's "
        "token68 set");
  }
  return token;
}

Screening ScreenRequest(const RequestHead& head, std::string_view request_id, const Router& router,
                        const Authenticator& authenticator, const GuardOptions& options) {
  Screening screening;
  if (std::optional<std::string> malformed = MessageSyntaxError(head)) {
    // The framing of a malformed head cannot be trusted: whatever follows is not read.
    screening.rejection = Reject(head, request_id, 400, *malformed);
    screening.rejection->close_connection = true;
    return screening;
  }
  const std::optional<Method> method = ParseMethod(head.method);
  screening.method = method.value_or(Method::kGet);
  RouteLookup lookup = router.Find(screening.method, head.path);
  screening.allowed = lookup.allowed;
  if (lookup.allowed.empty()) {
    screening.rejection = Reject(head, request_id, 404, "no route for path " + head.path);
    return screening;
  }
  if (method == Method::kOptions) {
    if (AnnouncesBody(head.headers)) {
      screening.rejection = Reject(head, request_id, 415, "OPTIONS takes no body");
    }
    return screening;
  }
  if (!method || lookup.route == nullptr) {
    Response response =
        Reject(head, request_id, 405, "method " + head.method + " is not allowed on " + head.path);
    response.headers.Set("Allow", AllowHeader(lookup.allowed) + ", OPTIONS");
    screening.rejection = std::move(response);
    return screening;
  }
  const Route& route = *lookup.route;
  screening.route = &route;
  screening.params = std::move(lookup.params);
  auto principal = Authenticate(head, request_id, route.scope, authenticator);
  if (auto* rejection = std::get_if<Response>(&principal)) {
    screening.rejection = std::move(*rejection);
    return screening;
  }
  screening.principal = std::move(std::get<std::optional<Principal>>(principal));
  if (head.headers.Has("Range")) {
    screening.rejection = Reject(head, request_id, 416, "Range requests are not supported");
    return screening;
  }
  screening.rejection = CheckBodyFraming(head, request_id, route, options);
  return screening;
}

}  // namespace patchcast::api
