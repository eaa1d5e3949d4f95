#include "server/http_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string_view>
#include <thread>
#include <vector>

#include "api/error_response.h"
#include "server/client_connection.h"
#include "server/connection_stream.h"
#include "server/connection_workers.h"
#include "server/head_waiter.h"
#include "server/memory_release.h"
#include "server/polled_read.h"
#include "server/request_id.h"

namespace patchcast::server {
namespace {

using Clock = std::chrono::steady_clock;

// httplib::Server with access to the listening socket, whose backlog the library fixes at 5, and
// with connections served by HttpServer rather than by the library's loop: an accepted socket goes
// to `accepted`, and each request is served by ServeRequest from a stream HttpServer provides.
class Backend : public httplib::Server {
 public:
  bool RaiseBacklog(int backlog) { return ::listen(svr_sock_, backlog) == 0; }

  // Reads one request from `stream`, routes it and writes the response, which says "Connection:
  // close" when `last`. Returns false when the connection must close; `client_closes` is set when
  // the client asked for that.
  bool ServeRequest(httplib::Stream& stream, bool last, bool& client_closes) {
    return process_request(stream, last, client_closes, nullptr);
  }

  std::function<void(int socket)> accepted;

 private:
  // Called for every accepted socket, on the accepting thread (see InlineTasks).
  bool process_and_close_socket(socket_t socket) override {
    accepted(socket);
    return true;
  }
};

// The library's task queue, which runs each task at once on the accepting thread: the task only
// hands the socket over (Backend::process_and_close_socket).
class InlineTasks : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> task) override { task(); }
  void shutdown() override {}
};

// What the worker thread knows about the request it is serving. A connection's requests are served
// one after another by one thread, so one slot per thread suffices; `owner` ties the slot to the
// httplib::Request it describes.
struct RequestContext {
  const httplib::Request* owner = nullptr;
  bool open = false;   // counted in flight, not yet logged
  std::string remote;  // from the socket
  Clock::time_point started;
  std::string request_id;
  api::RequestHead head;
  api::Screening screening;
};

RequestContext& CurrentRequest() {
  thread_local RequestContext context;
  return context;
}

// httplib hands hooks a const Request it owns as a mutable local; the few deliberate changes below
// go through this one function.
httplib::Request& Mutable(const httplib::Request& req) {
  return const_cast<httplib::Request&>(req);
}

bool IsLibraryHeader(const std::string& name) {
  // httplib adds these after the client's headers; a client may send the same names to spoof them.
  return name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
         name == "LOCAL_PORT";
}

api::RequestHead MakeHead(const httplib::Request& req) {
  api::RequestHead head;
  head.method = req.method;
  // Routed on the path as sent: the library's req.path has %2F decoded into a separator.
  head.path = req.target.substr(0, req.target.find('?'));
  head.version = req.version;
  for (const auto& [name, value] : req.headers) {
    if (!IsLibraryHeader(name)) head.headers.Add(name, value);
  }
  return head;
}

std::string LibraryErrorMessage(int status) {
  switch (status) {
    case 400:
      return "malformed HTTP request";
    case 413:
      return "request body too large";
    case 414:
      return "request line longer than 8192 bytes";
    case 416:
      return "Range requests are not supported";
    default:
      return "the request could not be served";
  }
}

// The method a partly received head begins with, if it looks like one; for the request count.
std::string MethodOf(std::string_view head) {
  const std::string_view method = head.substr(0, head.find(' '));
  const bool plausible =
      !method.empty() && method.size() <= 16 && method.size() < head.size() &&
      std::all_of(method.begin(), method.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  return plausible ? std::string(method) : std::string();
}

// The response to a refused head as bytes on the wire (408 or 431: the library never saw the
// request, so it does not write this one).
std::string RenderRefusal(const api::Response& response) {
  const std::string_view reason =
      response.status == 408 ? "Request Timeout" : "Request Header Fields Too Large";
  std::string text =
      "HTTP/1.1 " + std::to_string(response.status) + " " + std::string(reason) + "\r\n";
  for (const auto& [name, value] : response.headers.fields()) {
    text += name + ": " + value + "\r\n";
  }
  text += "Content-Type: " + response.content_type + "\r\n";
  text += "Content-Length: " + std::to_string(response.body.size()) + "\r\n\r\n";
  return text + response.body;
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(const api::Dispatcher& dispatcher, HttpMetrics& metrics, Logger& logger,
       HttpServerOptions options)
      : dispatcher_(dispatcher), metrics_(metrics), logger_(logger), options_(options) {
    Configure();
  }

  Result<int> Bind(const ListenAddress& address) {
    int port = address.port;
    bool bound = false;
    if (port == 0) {
      port = backend_.bind_to_any_port(address.host);
      bound = port > 0;
    } else {
      bound = backend_.bind_to_port(address.host, port);
    }
    if (!bound) return Unavailable("cannot listen on " + address.ToString());
    if (!backend_.RaiseBacklog(options_.listen_backlog)) {
      return Unavailable("cannot raise the listen backlog on " + address.ToString());
    }
    bound_ = true;
    return port;
  }

  // Accepts until Stop(); then closes the connections that wait for a head, lets the workers finish
  // the requests they have and the ones queued, and returns.
  bool Serve() {
    if (!bound_) return false;
    workers_ = std::make_unique<ConnectionWorkers>(static_cast<std::size_t>(options_.threads),
                                                   static_cast<std::size_t>(options_.max_queue));
    StartHeadWaiters();
    const bool served = backend_.listen_after_bind();
    stopping_ = true;
    for (const auto& waiter : waiters_) waiter->Stop();
    workers_->shutdown();
    return served;
  }

  void Stop() {
    stopping_ = true;
    backend_.stop();
  }

 private:
  void Configure() {
    backend_.set_tcp_nodelay(true);
    backend_.set_socket_options([](socket_t socket) {
      int yes = 1;
      ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    backend_.new_task_queue = [] { return new InlineTasks; };
    backend_.accepted = [this](int socket) {
      WaitForNextHead(std::make_unique<ClientConnection>(socket));
    };
    backend_.set_payload_max_length(options_.max_body_bytes);
    // The library sets these as SO_RCVTIMEO and SO_SNDTIMEO on accepted sockets: a backstop, as
    // ConnectionStream waits with poll before every read and write.
    backend_.set_read_timeout(options_.read_timeout_seconds, 0);
    backend_.set_write_timeout(options_.write_timeout_seconds, 0);
    // Only for the Keep-Alive header the library writes: ServeNext and HeadWaiter apply them.
    backend_.set_keep_alive_timeout(options_.keep_alive_timeout_seconds);
    backend_.set_keep_alive_max_count(static_cast<std::size_t>(options_.keep_alive_max_requests));

    backend_.set_pre_routing_handler(
        [this](const httplib::Request& req, httplib::Response& res) { return Screen(req, res); });
    // Methods with a body use content-reader handlers, so the body is read by ReadBody (drained for
    // a rejected request) rather than buffered by the library.
    auto without_body = [this](const httplib::Request& req, httplib::Response& res) {
      Handle(req, res, nullptr);
    };
    auto with_body = [this](const httplib::Request& req, httplib::Response& res,
                            const httplib::ContentReader& reader) { Handle(req, res, &reader); };
    backend_.Get(".*", without_body);
    backend_.Options(".*", without_body);
    backend_.Post(".*", with_body);
    backend_.Put(".*", with_body);
    backend_.Patch(".*", with_body);
    backend_.Delete(".*", with_body);
    backend_.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& req, httplib::Response& res) {
          return AnswerLibraryError(req, res);
        }));
    backend_.set_exception_handler(
        [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr failure) {
          AnswerException(req, res, failure);
        });
  }

  void StartHeadWaiters() {
    const int count = options_.head_waiters > 0
                          ? options_.head_waiters
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 0; i < count; ++i) {
      waiters_.push_back(std::make_unique<HeadWaiter>(
          HeadWaiterOptions{
              .idle_timeout = std::chrono::seconds(options_.keep_alive_timeout_seconds),
              .head_timeout = std::chrono::seconds(options_.header_timeout_seconds),
              .max_head_bytes = options_.max_head_bytes},
          HeadWaiterHooks{
              .ready =
                  [this](std::unique_ptr<ClientConnection> connection) {
                    Take(std::move(connection));
                  },
              .refuse = [this](ClientConnection& connection,
                               HeadRefusal refusal) { RefuseHead(connection, refusal); },
              .held_changed = [this](int change) { metrics_.AddConnectionsWaiting(change); }}));
    }
  }

  // A connection always returns to the same head waiter, so each waiter's epoll set keeps its
  // sockets registered between requests.
  void WaitForNextHead(std::unique_ptr<ClientConnection> connection) {
    HeadWaiter& waiter =
        *waiters_[static_cast<std::size_t>(connection->socket()) % waiters_.size()];
    waiter.Add(std::move(connection));
  }

  // A connection whose next request's head has arrived, on the head waiter's thread: a polled read
  // is answered there, anything else by a worker.
  void Take(std::unique_ptr<ClientConnection> connection) {
    if (IsPolledRead(connection->pending(), dispatcher_.router())) {
      AnswerPolledRead(std::move(connection));
    } else {
      HandToWorker(std::move(connection));
    }
  }

  // To a worker, or to the overflow thread when every worker and queue slot is taken.
  void HandToWorker(std::unique_ptr<ClientConnection> connection) {
    auto shared = std::make_shared<std::unique_ptr<ClientConnection>>(std::move(connection));
    workers_->enqueue([this, shared] { ServeNext(std::move(*shared)); });
  }

  // Answers a polled read on the head waiter's thread, which must never wait for a client: the part
  // of the answer the socket cannot take at once is left to a worker to send.
  void AnswerPolledRead(std::unique_ptr<ClientConnection> connection) {
    ConnectionWorkers::Current() = ConnectionState{};
    const bool keep_open = ServeOne(*connection, StreamMode::kNeverWaits);
    if (!connection->unsent().empty()) {
      auto shared = std::make_shared<std::unique_ptr<ClientConnection>>(std::move(connection));
      workers_->enqueue(
          [this, shared, keep_open] { FinishSending(std::move(*shared), keep_open); });
    } else if (keep_open) {
      WaitForNextHead(std::move(connection));
    }
  }

  void FinishSending(std::unique_ptr<ClientConnection> connection, bool keep_open) {
    const bool sent = connection->SendUnsent(std::chrono::seconds(options_.write_timeout_seconds));
    if (sent && keep_open) WaitForNextHead(std::move(connection));
  }

  // Serves the request at the head of the connection's pending bytes, on a worker, and the next
  // ones while they follow within `next_request_linger`; then gives the connection back to wait
  // for its next request, or closes it. A next request that arrives while other connections wait
  // for a worker queues behind them: without that turn-taking a worker would stay with one busy
  // client for its whole keep-alive while the others' requests waited.
  void ServeNext(std::unique_ptr<ClientConnection> connection) {
    while (ServeOne(*connection)) {
      if (!connection->NextHeadArrives(options_.next_request_linger)) {
        WaitForNextHead(std::move(connection));
        return;
      }
      if (workers_->queued() > 0) {
        HandToWorker(std::move(connection));
        return;
      }
    }
  }

  // Serves the request at the head of the connection's pending bytes. Returns false when the
  // connection must close after it.
  bool ServeOne(ClientConnection& connection, StreamMode mode = StreamMode::kWaits) {
    const bool last = stopping_ || ConnectionWorkers::Current().overflow ||
                      connection.served() + 1 >= options_.keep_alive_max_requests;
    bool client_closes = false;
    bool keep_open = false;
    {
      ConnectionStream stream(connection, StreamLimitsFromNow(), mode);
      keep_open = backend_.ServeRequest(stream, last, client_closes);
    }
    connection.CountServed();
    return keep_open && !client_closes && !last && !ConnectionWorkers::Current().poisoned;
  }

  StreamLimits StreamLimitsFromNow() const {
    return {.read_deadline = Clock::now() + std::chrono::seconds(options_.body_timeout_seconds),
            .read_pause = std::chrono::seconds(options_.read_timeout_seconds),
            .write_pause = std::chrono::seconds(options_.write_timeout_seconds)};
  }

  // Answers a head that did not arrive in time or in size, on the head waiter's thread: the answer
  // is short and sent without waiting, as that thread must never block.
  void RefuseHead(ClientConnection& connection, HeadRefusal refusal) {
    const bool timed_out = refusal == HeadRefusal::kTimedOut;
    const int status = timed_out ? 408 : 431;
    const std::string message = timed_out ? "request head not received in full within " +
                                                std::to_string(options_.header_timeout_seconds) +
                                                " s of its first byte"
                                          : "request head (request line and headers) larger than " +
                                                std::to_string(options_.max_head_bytes) + " bytes";
    const std::string request_id = NewRequestId();
    api::Response error =
        api::ErrorResponse(status, api::ErrorCodeForStatus(status), message, request_id);
    error.close_connection = true;
    dispatcher_.Finish(api::RequestHead{}, request_id, error);
    connection.SendWithoutWaiting(RenderRefusal(error));

    metrics_.RequestStarted();
    metrics_.RequestFinished("unmatched", MethodOf(connection.pending()), status, 0.0);
    if (!logger_.Enabled(LogLevel::kInfo)) return;
    logger_.Log(LogLevel::kInfo, "request refused before its head was complete",
                {{"status", status},
                 {"bytes_received", connection.pending().size()},
                 {"request_id", request_id},
                 {"remote", connection.remote_ip()}});
  }

  // Starts the bookkeeping of a request: request id, start time, in-flight count.
  RequestContext& Begin(const httplib::Request& req) {
    RequestContext& context = CurrentRequest();
    context = RequestContext{};
    context.owner = &req;
    context.open = true;
    context.started = Clock::now();
    auto sent = req.get_header_value("X-Request-Id");
    context.request_id = IsAcceptableRequestId(sent) ? sent : NewRequestId();
    context.head = MakeHead(req);
    context.remote = req.remote_addr;
    metrics_.RequestStarted();
    return context;
  }

  RequestContext& ContextFor(const httplib::Request& req) {
    RequestContext& context = CurrentRequest();
    return context.owner == &req && context.open ? context : Begin(req);
  }

  httplib::Server::HandlerResponse Screen(const httplib::Request& req, httplib::Response& res) {
    RequestContext& context = Begin(req);
    const ConnectionState& connection = ConnectionWorkers::Current();
    if ((connection.overflow && !IsLivenessProbe(req)) || connection.poisoned) {
      api::Response refusal =
          connection.overflow
              ? api::ErrorResponse(503, "unavailable", "server busy: every worker is occupied",
                                   context.request_id)
              : api::ErrorResponse(400, "bad_request",
                                   "bytes after a request whose body was not read are refused",
                                   context.request_id);
      if (connection.overflow) refusal.headers.Set("Retry-After", "1");
      refusal.close_connection = true;
      Mutable(req).ranges.clear();
      Send(context, std::move(refusal), res);
      return httplib::Server::HandlerResponse::Handled;
    }
    context.screening = dispatcher_.Screen(context.head, context.request_id);
    const bool body_method = IsBodyMethod(req.method);
    if (body_method && !req.has_header("Content-Length") && !req.has_header("Transfer-Encoding")) {
      Mutable(req).set_header("Content-Length", "0");
    }
    if (!context.screening.rejection) return httplib::Server::HandlerResponse::Unhandled;
    if (body_method && HasDrainableBody(req)) {
      // Answer after draining the body (Handle): closing on unread bytes makes the kernel reset
      // the connection, and a proxy then reports 502 instead of this answer.
      context.screening.rejection->close_connection = false;
      return httplib::Server::HandlerResponse::Unhandled;
    }
    // httplib parsed any Range already; dropping it keeps the error body whole.
    Mutable(req).ranges.clear();
    Send(context, std::move(*context.screening.rejection), res);
    return httplib::Server::HandlerResponse::Handled;
  }

  // True for a body whose length is known and within the limit, so reading it is bounded, and
  // that the library's reader would pass through as bytes. It inflates a Content-Encoding body
  // (seconds of CPU for a small gzip bomb; an invalid one fails the read) and parses a
  // multipart/form-data one (calling a receiver this server never gives it): such a body is left
  // unread and its connection closed.
  bool HasDrainableBody(const httplib::Request& req) const {
    if (req.has_header("Transfer-Encoding") || req.has_header("Content-Encoding") ||
        req.is_multipart_form_data() || req.get_header_value_count("Content-Length") != 1) {
      return false;
    }
    const std::string length = req.get_header_value("Content-Length");
    return !length.empty() && length.size() < 20 &&
           length.find_first_not_of("0123456789") == std::string::npos &&
           std::stoull(length) <= options_.max_body_bytes;
  }

  // GET or HEAD /healthz: answered even on the overflow thread, which needs no worker, so that a
  // liveness probe does not fail while real work holds every worker.
  static bool IsLivenessProbe(const httplib::Request& req) {
    return (req.method == "GET" || req.method == "HEAD") && req.path == "/healthz";
  }

  static bool IsBodyMethod(const std::string& method) {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
  }

  // Reads the body through `reader` into `body`, or discards it when `body` is null. Returns false
  // if it did not arrive in full within the read timeout.
  static bool ReadBody(const httplib::Request& req, const httplib::ContentReader& reader,
                       std::string* body) {
    if (body == nullptr) return reader([](const char*, std::size_t) { return true; });
    const std::string length = req.get_header_value("Content-Length");
    if (!length.empty()) body->reserve(std::stoull(length));
    return reader([body](const char* data, std::size_t size) {
      body->append(data, size);
      return true;
    });
  }

  void Handle(const httplib::Request& req, httplib::Response& res,
              const httplib::ContentReader* reader) {
    const std::size_t body_bytes = ReadAndAnswer(req, res, reader);
    // The body, and whatever was built from it, is freed by now. So is a heavy route's working
    // memory (megabytes in small blocks, which glibc keeps in the arena of whichever worker ran
    // it, so resident memory would creep up to a peak per arena); trimming costs well under a
    // millisecond beside a forecast's tens.
    const api::Route* route = CurrentRequest().screening.route;
    if (body_bytes >= options_.release_memory_after_body_bytes ||
        (route != nullptr && route->heavy)) {
      ReleaseFreeMemory();
    }
  }

  // Reads the body and answers the request. Returns the bytes of body read and kept.
  std::size_t ReadAndAnswer(const httplib::Request& req, httplib::Response& res,
                            const httplib::ContentReader* reader) {
    RequestContext& context = ContextFor(req);
    api::Request request;
    const bool rejected = context.screening.rejection.has_value();
    if (reader != nullptr && !ReadBody(req, *reader, rejected ? nullptr : &request.body)) {
      api::Response timeout =
          api::ErrorResponse(408, "request_timeout",
                             "request body not received in full: it must arrive within " +
                                 std::to_string(options_.body_timeout_seconds) +
                                 " s of the head, with no pause over " +
                                 std::to_string(options_.read_timeout_seconds) + " s",
                             context.request_id);
      timeout.close_connection = true;
      res.headers.clear();
      Send(context, std::move(timeout), res);
      return request.body.size();
    }
    if (rejected) {
      Send(context, std::move(*context.screening.rejection), res);
      return 0;
    }
    const std::size_t body_bytes = request.body.size();
    request.path = req.path;
    for (const auto& [name, value] : req.params) request.query.emplace(name, value);
    request.headers = context.head.headers;
    request.request_id = context.request_id;
    api::Response response = dispatcher_.Handle(context.screening, std::move(request));
    if (!response.log_detail.empty()) {
      logger_.Log(LogLevel::kError, "handler failed",
                  {{"request_id", context.request_id}, {"detail", response.log_detail}});
    }
    Send(context, std::move(response), res);
    return body_bytes;
  }

  // Errors httplib raised by itself: a malformed request (400), an over-long request line (414) or
  // a bad Range (416).
  httplib::Server::HandlerResponse AnswerLibraryError(const httplib::Request& req,
                                                      httplib::Response& res) {
    if (res.has_header("X-Request-Id")) return httplib::Server::HandlerResponse::Unhandled;
    RequestContext& context = ContextFor(req);
    const int status = res.status;
    api::Response error = api::ErrorResponse(status, api::ErrorCodeForStatus(status),
                                             LibraryErrorMessage(status), context.request_id);
    error.close_connection = true;  // the stream's position is unknown: never read on from it
    Mutable(req).ranges.clear();
    res.headers.clear();
    Send(context, std::move(error), res);
    return httplib::Server::HandlerResponse::Handled;
  }

  void AnswerException(const httplib::Request& req, httplib::Response& res,
                       std::exception_ptr failure) {
    RequestContext& context = ContextFor(req);
    std::string detail = "unknown exception";
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& exception) {
      detail = exception.what();
    } catch (...) {
    }
    logger_.Log(LogLevel::kError, "request failed",
                {{"request_id", context.request_id}, {"detail", detail}});
    api::Response error = api::ErrorResponse(
        500, "internal", "internal error; the server log has the details", context.request_id);
    error.close_connection = true;
    res.headers.clear();
    Send(context, std::move(error), res);
  }

  // Copies `response` into httplib's. A response that must close its connection is written by a
  // content provider that reports failure after writing the whole body: that is the one way to make
  // httplib 0.11.4 close a kept-alive connection from a handler.
  void Send(RequestContext& context, api::Response response, httplib::Response& res) {
    // The work is done: free its slot before the response is written, however slowly it is read.
    context.screening.permit.Reset();
    // The overflow thread serves one connection at a time: never keep one open.
    if (ConnectionWorkers::Current().overflow) response.close_connection = true;
    dispatcher_.Finish(context.head, context.request_id, response);
    RecordRequest(context, response.status, response.BodyText().size());
    res.status = response.status;
    for (const auto& [name, value] : response.headers.fields()) res.set_header(name, value);
    const bool close = response.close_connection;
    if (close) ConnectionWorkers::Current().poisoned = true;
    if (close || response.shared_body) {
      // Written from the shared buffer: set_content would copy it. Reporting failure after the
      // whole body is the one way to make httplib close a kept-alive connection.
      std::shared_ptr<const std::string> body =
          response.shared_body ? std::move(response.shared_body)
                               : std::make_shared<const std::string>(std::move(response.body));
      res.set_content_provider(
          body->size(), response.content_type,
          [body, close](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
            sink.write(body->data() + offset, length);
            return !close;
          });
    } else if (!response.body.empty()) {
      res.set_content(response.body, response.content_type.c_str());
    }
  }

  // Counts and logs the request as its response is handed to httplib, so a client that has read
  // the response sees it in /metrics.
  void RecordRequest(RequestContext& context, int status, std::size_t bytes) {
    context.open = false;
    // Whole microseconds, so the log's milliseconds read 0.009, not 0.008936000000000001.
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - context.started);
    const double seconds = static_cast<double>(elapsed.count()) / 1e6;
    const std::string route =
        context.screening.route != nullptr ? context.screening.route->path : "unmatched";
    metrics_.RequestFinished(route, context.head.method, status, seconds);
    if (!logger_.Enabled(LogLevel::kInfo)) return;
    const auto& principal = context.screening.principal;
    logger_.LogFields(LogLevel::kInfo, "request",
                      {{"method", context.head.method},
                       {"path", context.head.path},
                       {"route", route},
                       {"status", status},
                       {"duration_ms", static_cast<double>(elapsed.count()) / 1e3},
                       {"bytes", bytes},
                       {"request_id", context.request_id},
                       {"key", principal ? std::string_view(principal->name) : ""},
                       {"remote", context.remote}});
  }

  const api::Dispatcher& dispatcher_;
  HttpMetrics& metrics_;
  Logger& logger_;
  HttpServerOptions options_;
  Backend backend_;
  bool bound_ = false;
  std::atomic<bool> stopping_{false};
  std::unique_ptr<ConnectionWorkers> workers_;
  std::vector<std::unique_ptr<HeadWaiter>> waiters_;
};

HttpServer::HttpServer(const api::Dispatcher& dispatcher, HttpMetrics& metrics, Logger& logger,
                       HttpServerOptions options)
    : impl_(std::make_unique<Impl>(dispatcher, metrics, logger, options)) {}

HttpServer::~HttpServer() = default;

Result<int> HttpServer::Bind(const ListenAddress& address) { return impl_->Bind(address); }
bool HttpServer::Serve() { return impl_->Serve(); }
void HttpServer::Stop() { impl_->Stop(); }

}  // namespace patchcast::server
