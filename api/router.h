// Router: the table of every route this service answers, and the lookup from (method, path) to one.
//
// The table is the single allowlist of the service: the request guard consults it before any body
// is read (unknown path: 404; known path, other method: 405 with Allow), /v1 lists it, and a test
// checks that openapi.yaml documents every entry. Build it once at start-up; afterwards it is
// immutable and safe to read from any number of threads.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_types.h"
#include "api/scope.h"
#include "core/result.h"

namespace patchcast::api {

// A handler maps a routed, authenticated request to a response, or to an Error that the dispatcher
// turns into the JSON error body. Handlers must be thread-safe.
using Handler = std::function<Result<Response>(const Request&)>;

// A Handler that calls `method` of the shared `handlers` object and keeps the object alive: for
// route tables whose handlers are the const methods of one class, e.g.
// router.Add({Method::kGet, "/v1/x/{id}", Scope::kRead, {}, Bind(handlers, &XHandlers::Get), "…"}).
template <typename Handlers>
Handler Bind(std::shared_ptr<const Handlers> handlers,
             Result<Response> (Handlers::*method)(const Request&) const) {
  return [handlers = std::move(handlers), method](const Request& request) {
    return ((*handlers).*method)(request);
  };
}

// Whether the dispatcher may keep a route's successful GET answers (api/response_cache.h).
enum class Caching {
  kNever,
  // The answer is a function of the path, query, principal and stored data alone.
  kUntilDataChanges,
  // It reads the clock too, at a resolution of a second at most (defaults of "now"): kept for the
  // second it was made in.
  kPerSecond,
};

struct Route {
  Method method = Method::kGet;
  // Segments separated by '/'; "{name}" matches one non-empty segment and binds it as a path
  // parameter. Literal segments win over parameters when two templates match the same path.
  std::string path;
  Scope scope = Scope::kRead;
  // Media types the body may have (e.g. "application/json"); empty means the route takes no body.
  std::vector<std::string> accepts;
  Handler handler;
  std::string summary;  // one line, shown by GET /v1
  // CPU-heavy (forecasts, plans, backtests, simulations): admitted only with a slot of the
  // dispatcher's WorkLimiter, else 503 with Retry-After (api/work_limiter.h).
  bool heavy = false;
  Caching caching = Caching::kNever;
  // Polled by dashboards and autoscalers: a small answer, quick to make and kept by the cache, so
  // the server may answer it on the thread that received its head rather than hand it to a worker
  // (server/http_server.h). Not for answers that can take long to make, such as a range of points.
  bool polled = false;
};

struct RouteLookup {
  const Route* route = nullptr;               // null: no route for this method
  std::map<std::string, std::string> params;  // bound path parameters
  std::vector<Method> allowed;                // methods the path answers; empty: unknown path
};

class Router {
 public:
  // Adds `route`. Precondition: no route with the same method and template exists yet.
  void Add(Route route);

  // Finds the route for `method` and `path`, the path as sent: it is split at '/' first, then each
  // segment's percent-escapes are decoded, so "%2F" stays inside its segment (and a malformed
  // escape matches nothing). Parameters are bound decoded. HEAD is answered by GET routes. When the
  // path matches no template, `allowed` is empty (404); when it matches but not for this method,
  // `route` is null and `allowed` lists the methods it has (405).
  RouteLookup Find(Method method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> patterns_;  // each route's path split at '/', in order
};

}  // namespace patchcast::api
