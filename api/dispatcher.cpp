#include "api/dispatcher.h"

#include <chrono>
#include <exception>
#include <memory>
#include <optional>

#include "api/cache_key.h"
#include "api/error_response.h"
#include "api/etag.h"

namespace patchcast::api {
namespace {

std::string MethodList(const std::vector<Method>& methods) {
  std::string list;
  for (Method method : methods) {
    if (!list.empty()) list += ", ";
    list += MethodName(method);
  }
  return list;
}

bool IsSafe(Method method) { return method == Method::kGet || method == Method::kHead; }

bool ClientHolds(const Request& request, std::string_view etag) {
  auto condition = request.headers.Get("If-None-Match");
  return condition && IfNoneMatchHits(*condition, etag);
}

std::string EtagOf(const Response& response) {
  return StrongEtag(response.etag_basis.value_or(response.body));
}

// Turns a successful GET into a 304 when the client already holds this representation.
void ApplyConditionalGet(const Request& request, Response& response) {
  if (!IsSafe(request.method) || response.status != 200) return;
  std::string etag = EtagOf(response);
  if (ClientHolds(request, etag)) {
    response.status = 304;
    response.body.clear();
  }
  response.headers.Set("ETag", std::move(etag));
}

// The answer to a request from a kept response, with its ETag: a 304 when the client holds it,
// else the kept body, shared.
Response AnswerFromCache(const Request& request, std::shared_ptr<const CachedResponse> cached) {
  Response response;
  response.content_type = cached->response.content_type;
  response.headers = cached->response.headers;
  response.headers.Set("ETag", cached->etag);
  if (ClientHolds(request, cached->etag)) {
    response.status = 304;
  } else {
    const std::string& body = cached->response.body;
    response.shared_body = std::shared_ptr<const std::string>(std::move(cached), &body);
  }
  return response;
}

Response RunHandler(const Route& route, const Request& request) {
  try {
    Result<Response> outcome = route.handler(request);
    return outcome ? std::move(*outcome) : ErrorResponse(outcome.error(), request.request_id);
  } catch (const std::exception& failure) {
    Response response = ErrorResponse(
        500, "internal", "internal error; the server log has the details", request.request_id);
    response.log_detail = failure.what();
    return response;
  }
}

}  // namespace

Dispatcher::Dispatcher(const Router& router, const Authenticator& authenticator,
                       DispatchOptions options)
    : router_(router), authenticator_(authenticator), options_(std::move(options)) {}

Screening Dispatcher::Screen(const RequestHead& head, std::string_view request_id) const {
  Screening screening = ScreenRequest(head, request_id, router_, authenticator_, options_.guard);
  WorkLimiter* limiter = options_.heavy_work;
  if (screening.rejection || screening.route == nullptr || !screening.route->heavy ||
      limiter == nullptr) {
    return screening;
  }
  if (limiter->TryAcquire()) {
    screening.permit = WorkPermit(*limiter);
    return screening;
  }
  Response busy = ErrorResponse(
      Unavailable("server busy: as many forecasts, plans, backtests and simulations as it runs at "
                  "once are running; retry later"),
      request_id);
  // Its body is not read (server/ drains a body of known length before answering).
  busy.close_connection = head.headers.Get("Content-Length").value_or("0") != "0";
  screening.rejection = std::move(busy);
  return screening;
}

Response Dispatcher::Handle(const Screening& screening, Request request) const {
  request.method = screening.method;
  request.path_params = screening.params;
  request.principal = screening.principal;
  if (screening.route != nullptr) request.route = screening.route->path;
  if (screening.route == nullptr) {  // OPTIONS: say what the path allows.
    Response response;
    response.status = 204;
    response.content_type.clear();
    response.headers.Set("Allow", MethodList(screening.allowed) + ", OPTIONS");
    return response;
  }
  if (Cacheable(*screening.route, request)) return HandleCached(*screening.route, request);
  Response response = RunHandler(*screening.route, request);
  // Counted after the handler has published what it changed and before its client hears of it.
  if (!IsSafe(request.method) && options_.cache != nullptr) options_.cache->CountWrite();
  ApplyConditionalGet(request, response);
  return response;
}

bool Dispatcher::Cacheable(const Route& route, const Request& request) const {
  return route.caching != Caching::kNever && IsSafe(request.method) && options_.cache != nullptr &&
         options_.data_version != nullptr && options_.clock != nullptr;
}

Response Dispatcher::HandleCached(const Route& route, const Request& request) const {
  // Read before the handler reads the data: a change made meanwhile gives a later stamp, so an
  // entry is never newer in name than in content. Both counts only grow, so their sum changes
  // whenever either does.
  CacheStamp stamp{options_.cache->writes() + options_.data_version->Current(), 0};
  if (route.caching == Caching::kPerSecond) {
    stamp.second =
        std::chrono::floor<std::chrono::seconds>(options_.clock->Now()).time_since_epoch().count();
  }
  const std::string key = CacheKey(request);
  // A response not to keep (not a 200) is answered by the request that made it; a request that
  // waited for another's and got none makes its own.
  std::optional<Response> uncached;
  std::shared_ptr<const CachedResponse> cached =
      options_.cache->FindOrMake(key, stamp, [&]() -> std::shared_ptr<const CachedResponse> {
        Response response = RunHandler(route, request);
        if (response.status != 200) {
          uncached = std::move(response);
          return nullptr;
        }
        std::string etag = EtagOf(response);
        auto made = std::make_shared<const CachedResponse>(
            CachedResponse{stamp, std::move(response), std::move(etag)});
        options_.cache->Keep(key, made);
        return made;
      });
  if (cached != nullptr) return AnswerFromCache(request, std::move(cached));
  if (!uncached) uncached = RunHandler(route, request);
  ApplyConditionalGet(request, *uncached);
  return std::move(*uncached);
}

void Dispatcher::Finish(const RequestHead& head, std::string_view request_id,
                        Response& response) const {
  HeaderMap& headers = response.headers;
  headers.Set("X-Request-Id", std::string(request_id));
  headers.Set("X-Content-Type-Options", "nosniff");
  headers.Set("X-Frame-Options", "DENY");
  headers.Set("Referrer-Policy", "no-referrer");
  // The API's policy allows nothing; a route serving a page (api/ui_routes.h) sets its own.
  if (!headers.Has("Content-Security-Policy")) {
    headers.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  }
  if (!headers.Has("Cache-Control")) {
    // Successful reads may be cached but must be revalidated (ETag); nothing else is stored.
    const bool revalidate = (response.status == 200 || response.status == 304) &&
                            (head.method == "GET" || head.method == "HEAD");
    headers.Set("Cache-Control", revalidate ? "no-cache" : "no-store");
  }
  if (response.close_connection) headers.Set("Connection", "close");

  const std::string& allowed = options_.cors_origin;
  auto origin = head.headers.Get("Origin");
  if (allowed.empty() || !origin || (allowed != "*" && *origin != allowed)) return;
  headers.Set("Access-Control-Allow-Origin", allowed == "*" ? "*" : std::string(*origin));
  headers.Set("Vary", "Origin");
  headers.Set("Access-Control-Expose-Headers",
              "ETag, X-Request-Id, Retry-After, Location, Patchcast-Page, Patchcast-Page-Count, "
              "Patchcast-Action-Count, Patchcast-At");
  if (head.method == "OPTIONS") {
    if (auto methods = headers.Get("Allow")) {
      headers.Set("Access-Control-Allow-Methods", std::string(*methods));
    }
    headers.Set("Access-Control-Allow-Headers",
                "Authorization, Content-Type, If-None-Match, X-Request-Id");
    headers.Set("Access-Control-Max-Age", "600");
  }
}

}  // namespace patchcast::api
