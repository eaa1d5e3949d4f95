// ConnectionStream: cpp-httplib's view of one request on a ClientConnection.
//
// The library reads the request through it: first the bytes already received (the whole head, as
// the head waiter hands over only complete heads), then the body from the socket. The body has a
// total deadline, not only a limit per read: a client that sends a byte just before each read
// timeout would otherwise hold a worker for as long as it likes. Bytes read past the end of the
// request (a pipelined next request) stay in the connection's pending bytes.
//
// Small writes are held and sent with the next write, or by Flush(): the library writes a
// response's head and its body separately, and they then leave in one send (one system call, and
// for a small answer one TCP segment, where TCP_NODELAY would otherwise send two). Held bytes are
// always sent before the stream waits to read (an interim "100 Continue" must reach the client
// before its body is awaited) and when the stream is destroyed.
//
// A stream made with StreamMode::kNeverWaits is for a thread that serves other connections too:
// it never waits for the client. Reads end at the bytes already received, and what the socket has
// no room for is kept, and left in the connection's unsent bytes when the stream is destroyed, for
// a worker to send.
#pragma once

#include <httplib.h>
#include <sys/uio.h>

#include <chrono>
#include <cstddef>
#include <string>

#include "server/client_connection.h"

namespace patchcast::server {

struct StreamLimits {
  std::chrono::steady_clock::time_point read_deadline;  // reads fail from this instant on
  std::chrono::milliseconds read_pause;                 // longest wait for the next bytes
  std::chrono::milliseconds write_pause;                // longest wait for room to send
};

enum class StreamMode {
  kWaits,       // for the next bytes and for room to send, within StreamLimits
  kNeverWaits,  // reads only the received bytes; keeps what cannot be sent at once
};

class ConnectionStream : public httplib::Stream {
 public:
  // `connection` must outlive the stream.
  ConnectionStream(ClientConnection& connection, StreamLimits limits,
                   StreamMode mode = StreamMode::kWaits);

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override;

  // Sends the held bytes. Returns false when the connection failed or stayed full for the write
  // pause (the bytes are then dropped: the connection is not usable any more). With kNeverWaits,
  // sends what fits now and keeps the rest.
  bool Flush();

  // Flushes, and leaves only the bytes the library did not read pending on the connection (and,
  // with kNeverWaits, the bytes not sent in its unsent bytes).
  ~ConnectionStream() override;

  // Writes that together stay within this many bytes are held for the next write or Flush().
  static constexpr std::size_t kHeldBytes = std::size_t{16} << 10;

  // True once a read failed because the deadline had passed.
  bool deadline_passed() const { return deadline_passed_; }

 private:
  // Waits for bytes to read: up to the read pause, cut at the read deadline.
  bool WaitToRead() const;
  // Waits up to `timeout` for `events` on the socket.
  bool Poll(short events, std::chrono::milliseconds timeout) const;
  // Flush() for const members: reading waits only after what is held is out.
  bool SendHeld() const;
  // write() beyond the held bytes' limit, for each mode.
  ssize_t WriteWaiting(const char* ptr, size_t size);
  ssize_t WriteOrKeep(const char* ptr, size_t size);
  // Sends what fits of `parts`: at once when the socket has room, else after waiting up to the
  // write pause (kWaits) or not at all (kNeverWaits: 0). Returns the count sent, or -1.
  ssize_t Send(iovec* parts, int count) const;
  bool WaitToWrite() const;

  ClientConnection& connection_;
  StreamLimits limits_;
  StreamMode mode_;
  // kNeverWaits: the socket had no room, so every later write is kept, in order.
  mutable bool socket_full_ = false;
  std::size_t consumed_ = 0;  // pending bytes already handed to the library
  mutable std::string held_;  // written by the library, not yet sent
  mutable bool deadline_passed_ = false;
};

}  // namespace patchcast::server
