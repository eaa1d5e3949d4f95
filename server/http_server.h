// HttpServer: cpp-httplib 0.11.4 wired to the api Dispatcher, hardened.
//
// What the library gets wrong by default, and what this class does about it:
// - Nagle's algorithm delays small responses: TCP_NODELAY is on.
// - A listen backlog of 5 is compiled in: the bound socket's backlog is raised to 1024.
// - SO_REUSEPORT lets a second instance share the port silently: only SO_REUSEADDR is set.
// - A worker reads the head byte by byte with a timeout per read, so slow clients (slowloris) hold
//   every worker, and so do idle kept-alive connections: connections wait for a whole head in
//   a HeadWaiter (epoll; one thread per hardware thread, each with its share of the connections),
//   with total deadlines for the head and the body, and a worker takes only a request whose head
//   has arrived (the library's own connection loop is replaced).
// - A hand-off to a worker costs a thread switch per request, as much as answering a cached read:
//   polled reads (server/polled_read.h) are answered on the head waiter's thread, from a stream
//   that never waits for the client; what the socket cannot take at once is sent by a worker.
// - Unbounded worker queue: ConnectionWorkers answers 503 beyond `max_queue`, from a head that
//   has arrived, so the answer never waits on a slow client.
// - Bodies it should refuse are read: the api guard screens every request before its body.
// - Its content reader inflates Content-Encoding bodies and parses multipart/form-data ones before
//   a handler sees a byte: the guard refuses both (415, or 401 first), and such a body is never
//   drained but left unread, its connection closed.
// - A rejected request's unread body would be parsed as a next request: a body of known, bounded
//   length is drained (discarded) before the answer, which keeps the connection usable and avoids
//   the reset a proxy would report as 502; any other body closes the connection after the answer
//   and further bytes on it are refused.
// - Bodies are read by the service through content readers, not buffered by the library.
// - POST/PUT/PATCH/DELETE without Content-Length are read until the peer closes: they are given
//   Content-Length 0, as RFC 9112 section 6.3 says.
// - Exception text in an EXCEPTION_WHAT header, plain-text or empty error pages: every error is the
//   JSON error body with the request id.
// - Client-sent REMOTE_ADDR/REMOTE_PORT headers shadow the socket's: only req.remote_addr is used.
// - req.path has its percent-escapes decoded, %2F into a separator: requests are routed on the path
//   of req.target, decoded per segment by the router. Heads RFC 9112 refuses (no Host, whitespace
//   before a colon, obs-fold, control characters) are accepted: the guard answers them 400.
// - Connections beyond the workers and the queue get 503, but GET /healthz is answered there too,
//   so a liveness probe never waits for a worker that real work holds.
// - A heavy route's slot (api::WorkLimiter) is held from screening until its response is handed
//   over, and released before the next request on the connection.
// - Freed memory stays with the allocator: after a large body or a heavy route it is returned to
//   the system (server/memory_release.h).
// Serve() blocks; Stop() may be called from any thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "api/dispatcher.h"
#include "core/result.h"
#include "server/config.h"
#include "server/logger.h"
#include "server/metrics.h"

namespace patchcast::server {

struct HttpServerOptions {
  int threads = 16;
  // Threads that wait for request heads and answer polled reads themselves (HeadWaiter); 0: one
  // per hardware thread, as a connection's reads are served on its head waiter's thread.
  int head_waiters = 0;
  int max_queue = 256;
  std::size_t max_body_bytes = 32u << 20;
  int read_timeout_seconds = 10;   // longest pause in a body
  int write_timeout_seconds = 10;  // longest wait for room to send
  int keep_alive_timeout_seconds = 5;
  int keep_alive_max_requests = 100;
  int listen_backlog = 1024;
  int header_timeout_seconds = 10;  // a head, from its first byte
  int body_timeout_seconds = 60;    // a body, from the end of its head
  std::size_t max_head_bytes = 64u << 10;
  // After a response, how long the worker waits for the client's next request before handing the
  // connection back to wait without a worker: long enough for a client that sends requests back
  // to back, too short to matter as a hold.
  std::chrono::microseconds next_request_linger{500};
  // After a request whose body had at least this many bytes, free heap memory is returned to the
  // system (ReleaseFreeMemory), so resident memory comes back down after a burst.
  std::size_t release_memory_after_body_bytes = 1u << 20;
};

class HttpServer {
 public:
  // References must outlive the server.
  HttpServer(const api::Dispatcher& dispatcher, HttpMetrics& metrics, Logger& logger,
             HttpServerOptions options);
  ~HttpServer();

  // Binds the listening socket. Returns the bound port (useful with port 0), or kUnavailable
  // naming the address when it cannot be bound.
  Result<int> Bind(const ListenAddress& address);

  // Accepts and serves connections until Stop(). Returns after every worker has finished its
  // connection. Returns false if the server was not bound.
  bool Serve();

  // Stops accepting connections; requests in progress complete. Thread-safe, idempotent.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace patchcast::server
