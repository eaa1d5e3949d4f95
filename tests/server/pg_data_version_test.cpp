// PgDataVersion: moves after a commit by any connection to the database, and, when the database
// cannot be read, is a fresh value on every call, so that nothing is served from a cache.
#include "server/pg_data_version.h"

#include <doctest/doctest.h>

#include <memory>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <set>

#include "server/storage/pg/pg_store.h"
#include "tests/support/pg_test_database.h"

namespace patchcast::server {
namespace {

TEST_SUITE_BEGIN("postgresql" * doctest::skip(!testing::PgInstalled()));

std::unique_ptr<storage::pg::PgStore> OpenStore(const testing::PgTestDatabase& database) {
  auto store = storage::pg::PgStore::Open(
      {.url = database.url(), .pool_size = 1, .borrow_timeout = std::chrono::seconds(5)});
  INFO((store ? std::string() : store.error().message));
  REQUIRE(store);
  return std::move(*store);
}

TEST_CASE("the version moves after each commit by another connection") {
  testing::PgTestDatabase database;
  auto store = OpenStore(database);
  PgDataVersion version(store->pool());
  pqxx::connection other(database.url());
  std::uint64_t before = version.Current();
  for (int round = 0; round < 3; ++round) {
    pqxx::nontransaction(other).exec("CREATE TABLE t" + std::to_string(round) + " (x int)");
    const std::uint64_t after = version.Current();
    CHECK(after > before);
    before = after;
  }
}

TEST_CASE("an unreadable database gives a fresh version on every call") {
  testing::PgTestDatabase database;
  auto store = OpenStore(database);
  PgDataVersion version(store->pool());
  const std::uint64_t readable = version.Current();
  database.Admin("DROP DATABASE " + database.name() + " WITH (FORCE)");
  std::set<std::uint64_t> unread;
  for (int call = 0; call < 3; ++call) unread.insert(version.Current());
  CHECK(unread.size() == 3);
  CHECK(*unread.begin() > readable);
}

TEST_SUITE_END();

}  // namespace
}  // namespace patchcast::server
