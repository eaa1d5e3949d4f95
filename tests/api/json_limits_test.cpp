#include "api/json_limits.h"

#include <doctest/doctest.h>

#include <string>

#include "api/json_body.h"

namespace patchcast::api {
namespace {

// "[[[…]]]" nested `depth` deep.
std::string Nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// {"x":[[],[],…]} with `arrays` empty arrays: the body of issue 13 that cost 25 bytes of memory
// per byte when parsed whole.
std::string ManyEmptyArrays(std::size_t arrays) {
  std::string body = "{\"x\":[";
  for (std::size_t i = 0; i < arrays; ++i) body += i == 0 ? "[]" : ",[]";
  return body + "]}";
}

std::string MessageOf(const Status& status) { return status ? "" : status.error().message; }

TEST_CASE("a body within every limit passes the check") {
  CHECK(CheckJsonLimits(R"({"horizon_hours":408,"what_if":{"multiplier":2}})", {}));
  CHECK(CheckJsonLimits(Nested(32), {}));
  CHECK(CheckJsonLimits(ManyEmptyArrays(19'998), {}));  // 19,998 + the array + the object
  CHECK(CheckJsonLimits("{\"s\":\"" + std::string(65'536, 's') + "\"}", {}));
}

TEST_CASE("nesting deeper than the limit is refused at the byte that opens one level too many") {
  CHECK(MessageOf(CheckJsonLimits(Nested(33), {})) ==
        "request body nests JSON deeper than 32 levels at byte 33");
  CHECK(MessageOf(CheckJsonLimits(R"({"a":{"b":[1]}})", {.max_depth = 2})) ==
        "request body nests JSON deeper than 2 levels at byte 11");
}

TEST_CASE("more values than the limit are refused where the first one too many ends") {
  CHECK(MessageOf(CheckJsonLimits("[1,2,3]", {.max_values = 3})) ==
        "request body has more than 3 JSON values (the limit of this request) at byte 6");
  SUBCASE("a 3 MB body of empty arrays stops within its first 60 kB") {
    const std::string body = ManyEmptyArrays(1'000'000);
    const std::string message = MessageOf(CheckJsonLimits(body, {}));
    CHECK(message ==
          "request body has more than 20000 JSON values (the limit of this request) at byte "
          "60001");
  }
  SUBCASE("keys are not values") { CHECK(CheckJsonLimits(R"({"a":1,"b":2})", {.max_values = 3})); }
}

TEST_CASE("a string or key longer than the limit is refused with its length, where it opens") {
  CHECK(MessageOf(CheckJsonLimits(R"({"note":"abcdef"})", {.max_string_bytes = 5})) ==
        "request body has a JSON string of 6 bytes at byte 9; at most 5 are allowed");
  CHECK(MessageOf(CheckJsonLimits(R"({"abcdef":1})", {.max_string_bytes = 5})) ==
        "request body has a JSON string of 6 bytes at byte 2; at most 5 are allowed");
  CHECK(CheckJsonLimits(R"({"note":"abcde"})", {.max_string_bytes = 5}));
  SUBCASE("the length is counted as sent, escapes included, and an escaped quote does not end it") {
    CHECK(MessageOf(CheckJsonLimits(R"({"a":"\u0041"})", {.max_string_bytes = 5})) ==
          "request body has a JSON string of 6 bytes at byte 6; at most 5 are allowed");
    CHECK(MessageOf(CheckJsonLimits(R"({"a":"ab\"cd\\"})", {.max_string_bytes = 7})) ==
          "request body has a JSON string of 8 bytes at byte 6; at most 7 are allowed");
    CHECK(CheckJsonLimits(R"({"a":"ab\"cd\\"})", {.max_string_bytes = 8}));
  }
  SUBCASE("an unterminated string is the parser's syntax error") {
    CHECK(MessageOf(CheckJsonLimits(R"({"a":"abcdef)", {.max_string_bytes = 5})) ==
          "request body is not valid JSON: syntax error at byte 13");
  }
}

TEST_CASE("invalid JSON is named with the byte where the parser stopped") {
  CHECK(MessageOf(CheckJsonLimits("", {})) ==
        "request body is not valid JSON: it is empty at byte 1");
  CHECK(MessageOf(CheckJsonLimits("{\"a\":}", {})) ==
        "request body is not valid JSON: syntax error at byte 6");
  CHECK(MessageOf(CheckJsonLimits("{} {}", {})) ==
        "request body is not valid JSON: syntax error at byte 4");
  CHECK(MessageOf(CheckJsonLimits(R"({"a":1e400})", {})) ==
        "request body is not valid JSON: number out of range at byte 10");
}

TEST_CASE("ParseJsonObject builds only a body within its limits") {
  auto parsed = ParseJsonObject(R"({"a":[1,2]})", false, {.max_values = 4});
  REQUIRE(parsed);
  CHECK((*parsed)["a"].size() == 2);
  auto refused = ParseJsonObject(R"({"a":[1,2,3,4]})", false, {.max_values = 4});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kInvalidArgument);
  CHECK(refused.error().message ==
        "request body has more than 4 JSON values (the limit of this request) at byte 11");
  CHECK(ParseJsonObject("", /*allow_empty=*/true, {.max_values = 0}));
  CHECK(ParseJsonObject("[1]").error().message == "request body must be a JSON object");
}

}  // namespace
}  // namespace patchcast::api
