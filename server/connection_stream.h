// ConnectionStream: cpp-httplib's view of one request on a ClientConnection.
//
// The library reads the request through it: first the bytes already received (the whole head, as
// the head waiter hands over only complete heads), then the body from the socket. The body has a
// total deadline, not only a limit per read: a client that sends a byte just before each read
// timeout would otherwise hold a worker for as long as it likes. Bytes read past the end of the
// request (a pipelined next request) stay in the connection's pending bytes.
#pragma once

#include <httplib.h>

#include <chrono>

#include "server/client_connection.h"

namespace patchcast::server {

struct StreamLimits {
  std::chrono::steady_clock::time_point read_deadline;  // reads fail from this instant on
  std::chrono::milliseconds read_pause;                 // longest wait for the next bytes
  std::chrono::milliseconds write_pause;                // longest wait for room to send
};

class ConnectionStream : public httplib::Stream {
 public:
  // `connection` must outlive the stream.
  ConnectionStream(ClientConnection& connection, StreamLimits limits);

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override;

  // Leaves only the bytes the library did not read pending on the connection.
  ~ConnectionStream() override;

  // True once a read failed because the deadline had passed.
  bool deadline_passed() const { return deadline_passed_; }

 private:
  // Waits for bytes to read: up to the read pause, cut at the read deadline.
  bool WaitToRead() const;
  // Waits up to `timeout` for `events` on the socket.
  bool Poll(short events, std::chrono::milliseconds timeout) const;

  ClientConnection& connection_;
  StreamLimits limits_;
  std::size_t consumed_ = 0;  // pending bytes already handed to the library
  mutable bool deadline_passed_ = false;
};

}  // namespace patchcast::server
