// HeadScanner: finds where a request head ends in bytes that arrive a few at a time.
//
// The head is the request line and the header lines, ended by an empty line. As in cpp-httplib,
// which parses the head afterwards, a line ends at LF and only an empty CRLF line after the
// request line ends the head (a bare LF line is an invalid header line, skipped). Scanning resumes
// where it stopped, so a head trickled in byte by byte costs linear time, not quadratic.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace patchcast::server {

class HeadScanner {
 public:
  // `bytes` holds everything received since the head began: the bytes given last time and any that
  // arrived since. Returns the head's length, through its empty line, once it is complete.
  std::optional<std::size_t> Scan(std::string_view bytes);

  // Starts over, for the next request's head.
  void Reset() { *this = HeadScanner{}; }

 private:
  std::size_t scanned_ = 0;     // bytes already looked at
  std::size_t line_start_ = 0;  // where the line being scanned begins
  bool past_request_line_ = false;
};

}  // namespace patchcast::server
