// Dispatcher: the whole HTTP behaviour of the service, independent of any HTTP library.
//
// server/ calls it in three steps per request: Screen (before the body is read: the request guard),
// Handle (run the route's handler, map its Error to the JSON error, ETag and 304 for GET), and
// Finish (on every response, including those the HTTP library produced itself: request id, security
// headers, caching policy, CORS). Immutable after construction (the response cache it may be given
// is shared state of its own); thread-safe.
#pragma once

#include <string>

#include "api/authenticator.h"
#include "api/data_version.h"
#include "api/http_types.h"
#include "api/request_guard.h"
#include "api/response_cache.h"
#include "api/router.h"
#include "core/clock.h"

namespace patchcast::api {

struct DispatchOptions {
  GuardOptions guard;
  // Origin allowed to call the API from a browser ("https://grafana.example.com"), or "*". Empty
  // (the default) sends no CORS headers, so browsers refuse cross-origin reads.
  std::string cors_origin;
  // Admission to heavy routes (Route::heavy); must outlive the dispatcher. Null (the default):
  // heavy routes run without bound.
  WorkLimiter* heavy_work = nullptr;
  // Successful GETs of routes that allow it (Route::caching) are kept in `cache` until
  // `data_version` moves or a request of another method is handled here (which may change state a
  // handler keeps in memory, as the calendar catalog does, after its commit), and, for kPerSecond
  // routes, until `clock`'s second changes. All three must outlive the dispatcher; when any is
  // null (the default) every request runs its handler.
  ResponseCache* cache = nullptr;
  const DataVersion* data_version = nullptr;
  const Clock* clock = nullptr;
};

class Dispatcher {
 public:
  // `router` and `authenticator` must outlive the dispatcher.
  Dispatcher(const Router& router, const Authenticator& authenticator, DispatchOptions options);

  // Step 1: the request guard, then admission: a heavy route it admits takes a slot of
  // `heavy_work` (Screening::permit), or is rejected with 503 "unavailable" and Retry-After when
  // none frees within the limiter's wait. A screening with a rejection must be answered with it,
  // unread. Keep the screening until the response is handed over: it holds the slot.
  Screening Screen(const RequestHead& head, std::string_view request_id) const;

  // Step 2: runs the handler of a screening without rejection. `request` carries the body, query,
  // headers and request id; routing fields are filled from `screening`. A handler's Error becomes
  // the JSON error; a thrown exception becomes a 500 whose text goes to Response::log_detail only,
  // never to the client. A cacheable GET (DispatchOptions::cache) is answered from the cache when
  // the data has not changed since it was kept: the same status, headers, body and ETag.
  Response Handle(const Screening& screening, Request request) const;

  // Step 3: adds the headers every response carries.
  void Finish(const RequestHead& head, std::string_view request_id, Response& response) const;

  const Router& router() const { return router_; }

 private:
  bool Cacheable(const Route& route, const Request& request) const;
  // Answers a cacheable GET from the cache, running the handler (and keeping its 200) on a miss.
  Response HandleCached(const Route& route, const Request& request) const;

  const Router& router_;
  const Authenticator& authenticator_;
  DispatchOptions options_;
};

}  // namespace patchcast::api
