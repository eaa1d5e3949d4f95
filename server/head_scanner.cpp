#include "server/head_scanner.h"

namespace patchcast::server {

std::optional<std::size_t> HeadScanner::Scan(std::string_view bytes) {
  for (; scanned_ < bytes.size(); ++scanned_) {
    if (bytes[scanned_] != '\n') continue;
    const bool empty_crlf_line = scanned_ == line_start_ + 1 && bytes[line_start_] == '\r';
    if (past_request_line_ && empty_crlf_line) return ++scanned_;
    past_request_line_ = true;
    line_start_ = scanned_ + 1;
  }
  return std::nullopt;
}

}  // namespace patchcast::server
