#include "tests/support/raw_http.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>

namespace patchcast::testing {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string Lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

// `text` as a JSON string. Bytes that are not UTF-8 pass through; the log's reader replaces them.
std::string JsonString(std::string_view text) {
  std::string quoted = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        quoted += "\\\"";
        break;
      case '\\':
        quoted += "\\\\";
        break;
      case '\n':
        quoted += "\\n";
        break;
      case '\r':
        quoted += "\\r";
        break;
      case '\t':
        quoted += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          quoted += escaped;
        } else {
          quoted += c;
        }
    }
  }
  return quoted + '"';
}

// The request line of a request sent on a connection.
struct RequestLine {
  std::string method;
  std::string target;  // path and query, as sent
};

// Removes the oldest request from `unanswered` (its head, and the body its Content-Length
// announces) and returns its request line; method and target are "" when the first line is not
// "METHOD TARGET VERSION". Without a complete head, or with a Transfer-Encoding, everything is
// removed.
RequestLine TakeRequest(std::string& unanswered) {
  RequestLine request;
  const std::string first_line = unanswered.substr(0, unanswered.find("\r\n"));
  const std::size_t method_end = first_line.find(' ');
  const std::size_t target_end =
      method_end == std::string::npos ? std::string::npos : first_line.find(' ', method_end + 1);
  if (target_end != std::string::npos) {
    request.method = first_line.substr(0, method_end);
    request.target = first_line.substr(method_end + 1, target_end - method_end - 1);
  }
  const std::size_t head_end = unanswered.find("\r\n\r\n");
  if (head_end == std::string::npos) {
    unanswered.clear();
    return request;
  }
  std::size_t body_length = 0;
  std::size_t position = unanswered.find("\r\n") + 2;
  while (position < head_end) {
    const std::size_t next = unanswered.find("\r\n", position);
    const std::string line = Lowercase(unanswered.substr(position, next - position));
    if (line.starts_with("transfer-encoding:")) {
      unanswered.clear();
      return request;
    }
    if (line.starts_with("content-length:")) {
      body_length = std::strtoul(line.c_str() + std::strlen("content-length:"), nullptr, 10);
    }
    position = next + 2;
  }
  unanswered.erase(0, std::min(unanswered.size(), head_end + 4 + body_length));
  return request;
}

// Appends `request` and `reply` to the exchange log (raw_http.h) when PATCHCAST_RESPONSE_LOG is
// set. A log that cannot be opened is reported on stderr, and the reply is not logged.
void LogExchange(const RequestLine& request, const HttpReply& reply) {
  const char* path = std::getenv("PATCHCAST_RESPONSE_LOG");
  if (path == nullptr || *path == '\0') return;
  std::map<std::string, std::string> headers;
  for (const auto& [name, value] : reply.headers) headers[Lowercase(name)] = value;
  std::string line = "{\"method\":" + JsonString(request.method) +
                     ",\"target\":" + JsonString(request.target) +
                     ",\"status\":" + std::to_string(reply.status) + ",\"headers\":{";
  for (const auto& [name, value] : headers) {
    if (line.back() != '{') line += ',';
    line += JsonString(name) + ':' + JsonString(value);
  }
  line += "},\"body\":" + JsonString(reply.body) + "}\n";
  const int fd = ::open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    std::fprintf(stderr, "raw_http: cannot open the exchange log %s: %s\n", path,
                 std::strerror(errno));
    return;
  }
  // One write: O_APPEND puts the whole line at the end, whoever else appends.
  if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
    std::fprintf(stderr, "raw_http: short write to the exchange log %s\n", path);
  }
  ::close(fd);
}

}  // namespace

std::string HttpReply::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return "";
}

std::unique_ptr<RawConnection> RawConnection::Open(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return nullptr;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<RawConnection>(new RawConnection(fd));
}

RawConnection::~RawConnection() { ::close(fd_); }

bool RawConnection::Send(std::string_view bytes) {
  unanswered_.append(bytes);
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool RawConnection::Fill(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  pollfd poll_fd{fd_, POLLIN, 0};
  if (::poll(&poll_fd, 1, static_cast<int>(left.count())) <= 0) return false;
  char chunk[65536];
  ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

std::optional<HttpReply> RawConnection::Read(std::chrono::milliseconds timeout, bool head_request) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t header_end;
  while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill(deadline)) return std::nullopt;
  }
  HttpReply reply;
  std::string head = buffer_.substr(0, header_end);
  std::size_t line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  if (status_line.size() < 12 || !status_line.starts_with("HTTP/1.")) return std::nullopt;
  reply.status = std::stoi(status_line.substr(9, 3));
  std::size_t position = line_end == std::string::npos ? head.size() : line_end + 2;
  while (position < head.size()) {
    std::size_t next = head.find("\r\n", position);
    if (next == std::string::npos) next = head.size();
    std::string line = head.substr(position, next - position);
    std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::size_t value_start = line.find_first_not_of(' ', colon + 1);
      reply.headers.emplace_back(line.substr(0, colon),
                                 value_start == std::string::npos ? "" : line.substr(value_start));
    }
    position = next + 2;
  }
  std::size_t body_length = 0;
  if (!head_request && reply.status != 204 && reply.status != 304) {
    std::string length = reply.Header("Content-Length");
    body_length = length.empty() ? 0 : std::stoul(length);
  }
  const std::size_t body_start = header_end + 4;
  while (buffer_.size() < body_start + body_length) {
    if (!Fill(deadline)) return std::nullopt;
  }
  reply.body = buffer_.substr(body_start, body_length);
  buffer_.erase(0, body_start + body_length);
  LogExchange(TakeRequest(unanswered_), reply);
  return reply;
}

bool RawConnection::PeerClosed(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd poll_fd{fd_, POLLIN, 0};
    if (::poll(&poll_fd, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[4096];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return true;  // orderly close, or reset
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return false;  // the peer sent more: not closed
  }
}

std::optional<HttpReply> Exchange(int port, const std::string& request) {
  auto connection = RawConnection::Open(port);
  if (!connection || !connection->Send(request)) return std::nullopt;
  return connection->Read(std::chrono::seconds(10), request.starts_with("HEAD "));
}

std::string MakeRequest(std::string_view method, std::string_view path,
                        const std::vector<std::string>& header_lines,
                        std::optional<std::string> body) {
  std::string request = std::string(method) + " " + std::string(path) + " HTTP/1.1\r\n";
  request += "Host: 127.0.0.1\r\n";
  for (const std::string& line : header_lines) request += line + "\r\n";
  if (body) request += "Content-Length: " + std::to_string(body->size()) + "\r\n";
  request += "\r\n";
  if (body) request += *body;
  return request;
}

}  // namespace patchcast::testing
