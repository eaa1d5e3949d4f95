// IsPolledRead: whether a request, its head received whole, may be answered on the head waiter's
// thread instead of a worker's.
//
// A hand-off to a worker costs a thread switch, about as much as answering a cached read itself;
// for the reads dashboards and autoscalers poll many times a second, it was most of the work. A
// request qualifies when it cannot make that thread wait for a client: a GET or HEAD, with no body
// (no Content-Length or Transfer-Encoding header, looked for anywhere in the head, so a doubt sends
// it to a worker), to a route the router marks `polled` (api/router.h), whose answer is small and
// kept by the response cache. A miss is made on that thread too (a millisecond or so for these
// routes, once per data change or per second), while that waiter's other connections wait.
#pragma once

#include <string_view>

#include "api/router.h"

namespace patchcast::server {

bool IsPolledRead(std::string_view head, const api::Router& router);

}  // namespace patchcast::server
