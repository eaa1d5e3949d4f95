#include "server/remote_api.h"

namespace patchcast::server {
namespace {

// Why a call to `url` got no HTTP reply, in words (httplib names its errors in one word).
std::string Unreachable(const std::string& url, httplib::Error error) {
  std::string why;
  switch (error) {
    case httplib::Error::Connection:
      why = "could not connect (is the server running, and is the address right?)";
      break;
    case httplib::Error::ConnectionTimeout:
      why = "the connection timed out after 10 s";
      break;
    case httplib::Error::Read:
      why = "the connection broke, or no reply came within 120 s";
      break;
    case httplib::Error::Write:
      why = "the connection broke while sending the request";
      break;
    default:
      why = httplib::to_string(error);
  }
  return "cannot reach the server at " + url + ": " + why;
}

}  // namespace

RemoteApi::RemoteApi(const std::string& url, const std::string& token) : url_(url), client_(url) {
  client_.set_connection_timeout(10);
  client_.set_read_timeout(120);
  if (!token.empty()) client_.set_bearer_token_auth(token.c_str());
}

Result<std::string> RemoteApi::Get(const std::string& path) {
  return Outcome(client_.Get(path.c_str()));
}

Result<std::string> RemoteApi::Post(const std::string& path, const std::string& json_body) {
  return Outcome(client_.Post(path.c_str(), json_body, "application/json"));
}

Result<nlohmann::json> RemoteApi::GetJson(const std::string& path) {
  return Parsed(path, Get(path));
}

Result<nlohmann::json> RemoteApi::PostJson(const std::string& path, const std::string& json_body) {
  return Parsed(path, Post(path, json_body));
}

Result<std::vector<std::string>> RemoteApi::SeriesWithPoints() {
  auto listed = GetJson("/v1/series");
  if (!listed) return listed.error();
  if (!listed->is_object() || !listed->contains("series") || !(*listed)["series"].is_array()) {
    return Internal("the reply to /v1/series is not a series list");
  }
  std::vector<std::string> ids;
  for (const auto& series : (*listed)["series"]) {
    if (series.value("point_count", 0) > 0) ids.push_back(series.value("id", ""));
  }
  return ids;
}

Result<std::string> RemoteApi::Outcome(const httplib::Result& reply) const {
  if (!reply) return Unavailable(Unreachable(url_, reply.error()));
  return ReplyBody(reply->status, reply->body);
}

Result<nlohmann::json> RemoteApi::Parsed(const std::string& path, Result<std::string> reply) {
  if (!reply) return std::move(reply).error();
  auto parsed = nlohmann::json::parse(*reply, nullptr, false);
  if (parsed.is_discarded()) return Internal("the reply to " + path + " is not JSON");
  return parsed;
}

Result<std::string> ReplyBody(int status, const std::string& body) {
  if (status / 100 == 2) return body;
  const auto error = nlohmann::json::parse(body, nullptr, false);
  const std::string message =
      "HTTP " + std::to_string(status) + ": " +
      (error.is_object() && error.contains("error") && error["error"].is_object()
           ? error["error"].value("message", body)
           : body);
  if (status == 422) return Unprocessable(message);
  return Internal(message);
}

}  // namespace patchcast::server
