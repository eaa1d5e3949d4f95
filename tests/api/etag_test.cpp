#include "api/etag.h"

#include <doctest/doctest.h>

namespace patchcast::api {
namespace {

TEST_CASE("an entity tag is quoted, stable for equal bodies and different for different ones") {
  std::string tag = StrongEtag("{\"a\":1}");
  CHECK(tag.front() == '"');
  CHECK(tag.back() == '"');
  CHECK(tag == StrongEtag("{\"a\":1}"));
  CHECK(tag != StrongEtag("{\"a\":2}"));
  CHECK(StrongEtag("") != StrongEtag(std::string(1, '\0')));
}

TEST_CASE("If-None-Match matches a listed tag, a weak form of it, or a star") {
  const std::string tag = StrongEtag("body");
  CHECK(IfNoneMatchHits(tag, tag));
  CHECK(IfNoneMatchHits("W/" + tag, tag));
  CHECK(IfNoneMatchHits("\"other\", " + tag, tag));
  CHECK(IfNoneMatchHits(" * ", tag));
  CHECK_FALSE(IfNoneMatchHits("\"other\"", tag));
  CHECK_FALSE(IfNoneMatchHits("", tag));
}

}  // namespace
}  // namespace patchcast::api
