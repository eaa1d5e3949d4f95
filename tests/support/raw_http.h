// RawConnection: a plain TCP client for end-to-end tests that must send exactly the bytes they mean
// (duplicate headers, chunked bodies, a request smuggled after another) and read replies one by
// one. One object per connection; not thread-safe.
//
// The exchange log: when the environment variable PATCHCAST_RESPONSE_LOG names a file, every reply
// Read() returns is appended to it as one JSON line, {"method", "target", "status", "headers",
// "body"}, with the request line of the request it answers (the oldest one sent on the connection
// and not yet answered; "" for both when the bytes sent had no request line). "headers" maps each
// response header name, lower-cased, to its value (the last one when repeated); "body" is the body
// as text. Each line is one append, so threads and processes may share the file. CTest's
// openapi_responses test validates the log against api/openapi.yaml.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace patchcast::testing {

struct HttpReply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Returns the first value of header `name` (case-insensitive), or "".
  std::string Header(std::string_view name) const;
};

class RawConnection {
 public:
  // Connects to 127.0.0.1:`port`. Returns nullptr if the connection fails.
  static std::unique_ptr<RawConnection> Open(int port);
  ~RawConnection();

  bool Send(std::string_view bytes);
  // Reads one response (body framed by Content-Length). nullopt on timeout, close or garbage.
  // `head_request`: the reply to a HEAD has no body whatever Content-Length says.
  std::optional<HttpReply> Read(std::chrono::milliseconds timeout = std::chrono::seconds(10),
                                bool head_request = false);
  // Returns true if the peer closes the connection (or resets it) within `timeout` without
  // sending anything more.
  bool PeerClosed(std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  explicit RawConnection(int fd) : fd_(fd) {}
  // Appends bytes to buffer_ until `done` says enough; false on timeout or close.
  bool Fill(std::chrono::steady_clock::time_point deadline);

  int fd_;
  std::string buffer_;
  std::string unanswered_;  // bytes sent whose requests have not been answered yet (the log's)
};

// Sends one request on a fresh connection and reads its reply.
std::optional<HttpReply> Exchange(int port, const std::string& request);

// Builds a request: "METHOD PATH HTTP/1.1", Host, the given header lines, Content-Length when a
// body is given, then the body.
std::string MakeRequest(std::string_view method, std::string_view path,
                        const std::vector<std::string>& header_lines = {},
                        std::optional<std::string> body = std::nullopt);

}  // namespace patchcast::testing
