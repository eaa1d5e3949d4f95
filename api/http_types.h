// The HTTP vocabulary of the api module: methods, header maps, requests and responses.
//
// These are plain value types with no tie to an HTTP library: server/ converts cpp-httplib's types
// to and from them, so every rule in api/ can be tested without a socket. Thread-compatible.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/scope.h"

namespace patchcast::api {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions };

// Returns the method named by `name` (case-sensitive, as RFC 9110 says), or nullopt if unknown.
std::optional<Method> ParseMethod(std::string_view name);
const char* MethodName(Method method);

// Returns true if `a` and `b` are equal ignoring ASCII case (header names, media types).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// An ordered list of header fields with case-insensitive lookup. Repeated fields are kept, because
// a repeated Content-Length is itself a fact the request guard must see.
class HeaderMap {
 public:
  HeaderMap() = default;
  HeaderMap(std::initializer_list<std::pair<std::string, std::string>> fields) : fields_(fields) {}

  void Add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
  }
  // Replaces every field named `name` with one field holding `value`.
  void Set(std::string_view name, std::string value);
  void Remove(std::string_view name);

  // Returns the first value of `name`, or nullopt.
  std::optional<std::string_view> Get(std::string_view name) const;
  std::size_t Count(std::string_view name) const;
  bool Has(std::string_view name) const { return Count(name) > 0; }

  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// What is known of a request before its body is read: enough for the request guard.
struct RequestHead {
  std::string method;  // as sent; may be a method this service does not know
  // The path as sent, without the query string: percent-escapes are decoded per segment when it
  // is routed (Router::Find), so "%2F" stays inside its segment.
  std::string path;
  HeaderMap headers;
  std::string version;  // "HTTP/1.1", "HTTP/1.0"; empty when not known (tests)
};

// A request after routing and authentication, as handlers see it.
struct Request {
  Method method = Method::kGet;
  std::string path;
  std::string route;  // the matched template, e.g. "/v1/series/{id}"
  std::map<std::string, std::string> path_params;
  std::multimap<std::string, std::string> query;
  HeaderMap headers;
  std::string body;
  std::string request_id;
  std::optional<Principal> principal;  // nullopt on open routes

  // Returns the first query value of `name`, or nullopt.
  std::optional<std::string_view> Query(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  HeaderMap headers;
  // Set when the connection must close after this response: the request's body was never read, so
  // its bytes must not be parsed as a next request (request smuggling).
  bool close_connection = false;
  // For the access log only, never sent: e.g. the text of an exception a handler threw.
  std::string log_detail;
  // What a successful GET's ETag is computed over, when not the whole body: the part a poller acts
  // on, so that a field that changes every second (an age) does not defeat If-None-Match.
  std::optional<std::string> etag_basis;
  // When set, the body to send instead of `body` (then empty): a body kept by the response cache,
  // shared rather than copied for every request that gets it.
  std::shared_ptr<const std::string> shared_body;

  // The body to send, whichever member holds it.
  std::string_view BodyText() const { return shared_body ? std::string_view(*shared_body) : body; }
};

// Media type of a Content-Type value, lower-cased, without parameters: "Text/CSV; charset=utf-8" ->
// "text/csv".
std::string MediaType(std::string_view content_type);

}  // namespace patchcast::api
