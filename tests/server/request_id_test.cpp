#include "server/request_id.h"

#include <doctest/doctest.h>

#include <set>
#include <vector>

namespace patchcast::server {
namespace {

TEST_CASE("request ids from clients are accepted only when safe to echo") {
  CHECK(IsAcceptableRequestId("abc-123_x.y:z"));
  CHECK(IsAcceptableRequestId(std::string(128, 'a')));
  CHECK_FALSE(IsAcceptableRequestId(""));
  CHECK_FALSE(IsAcceptableRequestId(std::string(129, 'a')));
  CHECK_FALSE(IsAcceptableRequestId("a b"));
  CHECK_FALSE(IsAcceptableRequestId("a\r\nX: y"));
  CHECK_FALSE(IsAcceptableRequestId("\"quoted\""));
}

TEST_CASE("generated request ids are 32 hex digits and distinct") {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(NewRequestId());
  CHECK(ids.size() == 1000);
  CHECK(ids.begin()->size() == 32);
  CHECK(IsAcceptableRequestId(*ids.begin()));
}

TEST_CASE("every position of a request id takes each of the 16 lowercase hex digits") {
  std::vector<std::set<char>> seen(32);
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewRequestId();
    REQUIRE(id.size() == 32);
    for (std::size_t position = 0; position < id.size(); ++position)
      seen[position].insert(id[position]);
  }
  for (const std::set<char>& digits : seen) {
    CHECK(digits == std::set<char>{'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c',
                                   'd', 'e', 'f'});
  }
}

}  // namespace
}  // namespace patchcast::server
