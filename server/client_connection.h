// ClientConnection: one accepted TCP connection between the requests served on it.
//
// It owns the socket (shut down and closed when it is destroyed) and the bytes received but not
// yet served: the head of the next request, or its beginning, and anything a client pipelined
// after it; and the end of a response not sent yet. Moved from thread to thread (the head waiter,
// then a worker), used by one at a time.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "server/head_scanner.h"

namespace patchcast::server {

class ClientConnection {
 public:
  explicit ClientConnection(int socket);
  ~ClientConnection();
  ClientConnection(const ClientConnection&) = delete;
  ClientConnection& operator=(const ClientConnection&) = delete;

  int socket() const { return socket_; }

  // Bytes received and not yet served.
  std::string& pending() { return pending_; }

  // Bytes of a response that the socket had no room for when a thread that never waits wrote it
  // (StreamMode::kNeverWaits). They go out before anything else is sent on the connection.
  std::string& unsent() { return unsent_; }

  // Sends the unsent bytes, waiting up to `pause` each time the socket is full. False when the
  // connection failed or stayed full that long: it is not usable any more.
  bool SendUnsent(std::chrono::milliseconds pause);

  // True once the pending bytes begin with a whole request head. Scanning resumes where the last
  // call stopped, and starts over for the next head once this one is found.
  bool HeadComplete();

  enum class Received { kBytes, kNothingYet, kClosed };
  // Appends to the pending bytes what the socket holds now, without waiting: kClosed when the
  // client closed the connection or it failed.
  Received ReceiveAvailable();

  // Waits up to `wait` for bytes, and receives what has come; true if the pending bytes then begin
  // with a whole head. For a worker that has just answered, as the client's next request often
  // follows at once.
  bool NextHeadArrives(std::chrono::microseconds wait);

  // Requests served so far, for the keep-alive limit.
  int served() const { return served_; }
  void CountServed() { ++served_; }

  // The peer's and the local address, numeric, as read from the socket when it was accepted.
  const std::string& remote_ip() const { return remote_ip_; }
  int remote_port() const { return remote_port_; }
  const std::string& local_ip() const { return local_ip_; }
  int local_port() const { return local_port_; }

  // Sends `bytes` without waiting for room in the socket's buffer. For short answers on a thread
  // that must never block; returns false if they did not all fit.
  bool SendWithoutWaiting(const std::string& bytes);

 private:
  int socket_;
  std::string pending_;
  std::string unsent_;
  HeadScanner head_scanner_;
  int served_ = 0;
  std::string remote_ip_;
  int remote_port_ = 0;
  std::string local_ip_;
  int local_port_ = 0;
};

}  // namespace patchcast::server
