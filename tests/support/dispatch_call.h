// Runs one request through an api::Dispatcher in the server's three steps (api/dispatcher.h):
// Screen its head; unless that rejects it, Handle the request; then Finish the response. For the
// tests of tests/api that check what a whole request gets, guard, handler and headers together.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "api/dispatcher.h"
#include "api/http_types.h"

namespace patchcast::testing {

struct DispatchCall {
  std::string method = "GET";
  std::string path;
  std::multimap<std::string, std::string> query;
  api::HeaderMap headers;
  std::string body;
};

inline api::Response Dispatch(const api::Dispatcher& dispatcher, DispatchCall call) {
  constexpr std::string_view kRequestId = "rid";
  const api::RequestHead head{.method = call.method, .path = call.path, .headers = call.headers};
  api::Screening screening = dispatcher.Screen(head, kRequestId);
  api::Response response;
  if (screening.rejection) {
    response = std::move(*screening.rejection);
  } else {
    api::Request request;
    request.path = std::move(call.path);
    request.query = std::move(call.query);
    request.headers = std::move(call.headers);
    request.body = std::move(call.body);
    request.request_id = std::string(kRequestId);
    response = dispatcher.Handle(screening, std::move(request));
  }
  dispatcher.Finish(head, kRequestId, response);
  return response;
}

}  // namespace patchcast::testing
