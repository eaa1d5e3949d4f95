// PgRunLeases: a name one replica holds is refused to another until released; names do not block
// each other; a replica whose connection dies loses its leases to the others, and takes new ones
// on a fresh connection; an unreachable server is kUnavailable.
#include "server/storage/pg/pg_run_leases.h"

#include <doctest/doctest.h>

#include <pqxx/nontransaction>
#include <string>

#include "server/storage/pg/pg_url.h"
#include "tests/support/pg_test_database.h"

namespace patchcast::storage::pg {
namespace {

std::string ConnectionString(const std::string& url) {
  auto connection_string = PgConnectionString(url);
  REQUIRE(connection_string);
  return *connection_string;
}

// Takes `name` through `leases`: the lease, or nullptr when another holder has it.
std::unique_ptr<forecasting::RunLeases::Lease> Take(PgRunLeases& leases, const std::string& name) {
  auto taken = leases.TryTake(name);
  INFO((taken ? std::string() : taken.error().message));
  REQUIRE(taken);
  return std::move(*taken);
}

TEST_CASE("an unreachable server is kUnavailable, naming the lease") {
  PgRunLeases leases(ConnectionString("postgresql://nobody@127.0.0.1:1/none"));
  auto taken = leases.TryTake("run:logins");
  REQUIRE_FALSE(taken);
  CHECK(taken.error().code == ErrorCode::kUnavailable);
  CHECK(taken.error().message.starts_with("take the run lease 'run:logins': "));
}

TEST_SUITE_BEGIN("postgresql" * doctest::skip(!testing::PgInstalled()));

TEST_CASE("a name one replica holds is refused to another until released") {
  testing::PgTestDatabase database;
  PgRunLeases first(ConnectionString(database.url()));
  PgRunLeases second(ConnectionString(database.url()));
  auto held = Take(first, "run:logins");
  REQUIRE(held);
  CHECK_FALSE(Take(second, "run:logins"));
  auto other_series = Take(second, "run:vpn");
  CHECK(other_series);
  CHECK_FALSE(Take(first, "run:vpn"));

  held.reset();
  auto after_release = Take(second, "run:logins");
  CHECK(after_release);
  CHECK_FALSE(Take(first, "run:logins"));
}

TEST_CASE("a replica whose connection dies loses its leases, and takes new ones afresh") {
  testing::PgTestDatabase database;
  PgRunLeases dying(ConnectionString(database.url()));
  PgRunLeases survivor(ConnectionString(database.url()));
  auto held = Take(dying, "pass:scoring");
  REQUIRE(held);
  CHECK_FALSE(Take(survivor, "pass:scoring"));

  // What a crash or a network partition does: the server ends the holder's session, and its
  // locks with it. The holder is the one session of this database holding an advisory lock.
  database.Admin(
      "SELECT pg_terminate_backend(pid, 5000) FROM pg_locks WHERE locktype = 'advisory' AND "
      "granted AND database = (SELECT oid FROM pg_database WHERE datname = '" +
      database.name() + "')");
  auto taken_over = Take(survivor, "pass:scoring");
  CHECK(taken_over);
  held.reset();  // releasing on the lost connection is harmless
  CHECK_FALSE(Take(dying, "pass:scoring"));
  CHECK(Take(dying, "pass:surges"));
}

TEST_SUITE_END();

}  // namespace
}  // namespace patchcast::storage::pg
