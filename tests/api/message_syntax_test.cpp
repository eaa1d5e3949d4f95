// Unit tests of the request head's syntax checks (api/message_syntax.h): what RFC 9112 wants
// refused with 400, and what a well-formed head looks like.
#include "api/message_syntax.h"

#include <doctest/doctest.h>

#include <string>

namespace patchcast::api {
namespace {

RequestHead Head(HeaderMap headers, std::string version = "HTTP/1.1") {
  return {.method = "GET", .path = "/v1", .headers = headers, .version = std::move(version)};
}

TEST_CASE("a well-formed head has no syntax error") {
  CHECK_FALSE(MessageSyntaxError(Head({{"Host", "x"}, {"Accept", "*/*"}, {"X-Tab", "a\tb"}})));
  CHECK_FALSE(MessageSyntaxError(Head({{"Host", "x"}, {"X-Latin", "caf\xc3\xa9"}})));  // obs-text
  CHECK_FALSE(MessageSyntaxError(Head({}, "HTTP/1.0")));  // HTTP/1.0 needs no Host
}

TEST_CASE("a header name that is not a token is refused: whitespace before the colon, obs-fold") {
  const auto error = MessageSyntaxError(Head({{"Host", "x"}, {"Transfer-Encoding ", "chunked"}}));
  REQUIRE(error);
  CHECK(*error ==
        "header name 'Transfer-Encoding ' is not an RFC 9110 token (whitespace before "
        "the colon, or an obs-fold line)");
  CHECK(MessageSyntaxError(Head({{"Host", "x"}, {" X-Folded", "more"}})));
  CHECK(MessageSyntaxError(Head({{"Host", "x"}, {"", "value"}})));
  CHECK(MessageSyntaxError(Head({{"Host", "x"}, {"X(y)", "1"}})));
}

TEST_CASE("a value with NUL, a bare CR or another control character is refused") {
  for (const std::string& value :
       {std::string("a\0b", 3), std::string("a\rb"), std::string("a\x01"), std::string("\x7f")}) {
    const auto error = MessageSyntaxError(Head({{"Host", "x"}, {"X-Note", value}}));
    REQUIRE(error);
    CHECK(*error ==
          "header 'X-Note' has a control character (NUL, CR or another) in its value, as sent or "
          "percent-escaped");
  }
}

TEST_CASE("an HTTP/1.1 request needs exactly one Host") {
  CHECK(MessageSyntaxError(Head({})) == "HTTP/1.1 request without a Host header");
  CHECK(MessageSyntaxError(Head({{"Host", "a"}, {"Host", "b"}})) == "Host appears 2 times");
  CHECK(MessageSyntaxError(Head({{"Host", "a"}, {"Host", "b"}}, "HTTP/1.0")) ==
        "Host appears 2 times");
}

TEST_CASE("a long offending name is quoted cut short") {
  const std::string name(1000, 'x');
  const auto error = MessageSyntaxError(Head({{"Host", "x"}, {name + " ", "1"}}));
  REQUIRE(error);
  CHECK(error->size() < 200);
}

}  // namespace
}  // namespace patchcast::api
