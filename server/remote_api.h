// RemoteApi: the HTTP API of a running Patchcast server, for the cron commands' --url mode
// (`patchcast forecast`, `plan`, `backtest`). One connection at a time; not thread-safe.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.h"

namespace patchcast::server {

class RemoteApi {
 public:
  // `url` like "http://127.0.0.1:8080"; `token` is sent as the bearer token unless empty.
  // Connecting times out after 10 s, a reply after 120 s.
  RemoteApi(const std::string& url, const std::string& token);

  // GET `path` (with its query). Returns the body of a 2xx reply. Errors: kUnavailable "cannot
  // reach the server at <url>: <why>" when no reply came ("could not connect (is the server
  // running, and is the address right?)", "the connection timed out after 10 s", …); else
  // ReplyBody's.
  Result<std::string> Get(const std::string& path);

  // POST `json_body` (application/json) to `path`; returns and fails as Get does.
  Result<std::string> Post(const std::string& path, const std::string& json_body);

  // Get and Post whose 2xx reply is parsed as JSON. Errors: theirs; kInternal "the reply to
  // <path> is not JSON".
  Result<nlohmann::json> GetJson(const std::string& path);
  Result<nlohmann::json> PostJson(const std::string& path, const std::string& json_body);

  // The ids of the series with points that the key may see (GET /v1/series), in its order.
  // Errors: GetJson's; kInternal when the reply is not a series list.
  Result<std::vector<std::string>> SeriesWithPoints();

 private:
  Result<std::string> Outcome(const httplib::Result& reply) const;
  static Result<nlohmann::json> Parsed(const std::string& path, Result<std::string> reply);

  std::string url_;
  httplib::Client client_;
};

// What a reply with `status` and `body` gives: the body of a 2xx reply; else an error "HTTP
// <status>: <message>", the message taken from the service's JSON error body (or the whole body
// when it is not one): kUnprocessable for a 422 (a series too short to forecast yet), kInternal
// otherwise.
Result<std::string> ReplyBody(int status, const std::string& body);

}  // namespace patchcast::server
