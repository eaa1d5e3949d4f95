#include "api/json_limits.h"

#include <cctype>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

namespace patchcast::api {
namespace {

using nlohmann::json;

// A pointer into the body that records how far the parser has read, because SAX callbacks are not
// told where they are. `*read` is the count of bytes read so far: after a token, the offset of its
// last byte counted from 1 (the parser's own convention for errors).
class TrackedIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  TrackedIterator(const char* at, const char* begin, std::size_t* read)
      : at_(at), begin_(begin), read_(read) {}

  reference operator*() const {
    *read_ = static_cast<std::size_t>(at_ - begin_) + 1;
    return *at_;
  }
  TrackedIterator& operator++() {
    ++at_;
    return *this;
  }
  TrackedIterator operator++(int) {
    TrackedIterator before = *this;
    ++at_;
    return before;
  }
  friend bool operator==(const TrackedIterator& a, const TrackedIterator& b) {
    return a.at_ == b.at_;
  }

 private:
  const char* at_;
  const char* begin_;
  std::size_t* read_;
};

// Returns the first string of `body` longer than `max_bytes` as sent: the offset of its opening
// quote and its length; nullopt when there is none. The parser would build a string byte by byte
// (seconds and twice its size for 32 MiB), so strings are measured first by their quotes alone.
// Quotes pair the same way for the parser as long as the text before them is valid JSON, and the
// parser stops at the first invalid byte, so it never builds a string this scan did not measure.
std::optional<std::pair<std::size_t, std::size_t>> FindLongString(std::string_view body,
                                                                  std::size_t max_bytes) {
  for (std::size_t open = body.find('"'); open != std::string_view::npos;) {
    std::size_t at = open + 1;
    while (at < body.size() && body[at] != '"') at += body[at] == '\\' ? 2 : 1;
    if (at >= body.size()) return std::nullopt;  // unterminated: a syntax error for the parser
    const std::size_t length = at - open - 1;
    if (length > max_bytes) return std::pair(open, length);
    open = body.find('"', at + 1);
  }
  return std::nullopt;
}

// Counts what the parser reports and stops it at the first depth or value limit exceeded, leaving
// the reason in `error`. Allocates nothing of its own.
class LimitCounter {
 public:
  LimitCounter(const JsonLimits& limits, std::string_view body, const std::size_t& read)
      : limits_(limits), body_(body), read_(read) {}

  bool null() { return Value(); }
  bool boolean(bool) { return Value(); }
  bool number_integer(json::number_integer_t) { return Number(); }
  bool number_unsigned(json::number_unsigned_t) { return Number(); }
  bool number_float(json::number_float_t, const json::string_t&) { return Number(); }
  bool string(json::string_t&) { return Value(); }
  bool binary(json::binary_t&) { return Value(); }
  bool key(json::string_t&) { return true; }
  bool start_object(std::size_t) { return Open(); }
  bool start_array(std::size_t) { return Open(); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& failure) {
    // Id 406 is a number beyond a double's range (1e400), which the parser reports here too.
    const char* what = body_.empty()       ? "it is empty"
                       : failure.id == 406 ? "number out of range"
                                           : "syntax error";
    error = InvalidArgument("request body is not valid JSON: " + std::string(what) + " at byte " +
                            std::to_string(position));
    return false;
  }

  std::optional<Error> error;

 private:
  // `at`: the byte the value ends at (an array's or object's opening bracket).
  bool Value(std::size_t at) {
    if (++values_ <= limits_.max_values) return true;
    error =
        InvalidArgument("request body has more than " + std::to_string(limits_.max_values) +
                        " JSON values (the limit of this request) at byte " + std::to_string(at));
    return false;
  }
  bool Value() { return Value(read_); }
  // The parser knows a number has ended only by reading the byte after it, unless the body ends.
  bool Number() {
    const char last = body_[read_ - 1];
    const bool read_past = !(std::isdigit(static_cast<unsigned char>(last)) || last == '.' ||
                             last == 'e' || last == 'E' || last == '+' || last == '-');
    return Value(read_past ? read_ - 1 : read_);
  }
  bool Open() {
    if (++depth_ > limits_.max_depth) {
      error = InvalidArgument("request body nests JSON deeper than " +
                              std::to_string(limits_.max_depth) + " levels at byte " +
                              std::to_string(read_));
      return false;
    }
    return Value();
  }
  bool Close() {
    --depth_;
    return true;
  }

  const JsonLimits& limits_;
  std::string_view body_;
  const std::size_t& read_;
  std::size_t depth_ = 0;
  std::size_t values_ = 0;
};

}  // namespace

Status CheckJsonLimits(std::string_view body, const JsonLimits& limits) {
  if (auto long_string = FindLongString(body, limits.max_string_bytes)) {
    return InvalidArgument("request body has a JSON string of " +
                           std::to_string(long_string->second) + " bytes at byte " +
                           std::to_string(long_string->first + 1) + "; at most " +
                           std::to_string(limits.max_string_bytes) + " are allowed");
  }
  std::size_t read = 0;
  LimitCounter counter(limits, body, read);
  const char* begin = body.data();
  if (json::sax_parse(TrackedIterator(begin, begin, &read),
                      TrackedIterator(begin + body.size(), begin, &read), &counter)) {
    return {};
  }
  if (counter.error) return std::move(*counter.error);
  return Internal("the JSON limit check stopped without a reason");
}

}  // namespace patchcast::api
