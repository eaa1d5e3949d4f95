#include "server/storage/pg/pg_pool.h"

#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <pqxx/nontransaction>
#include <string>
#include <thread>

#include "server/storage/pg/pg_call.h"
#include "server/storage/pg/pg_url.h"
#include "tests/support/pg_test_database.h"

namespace patchcast::storage::pg {
namespace {

using namespace std::chrono_literals;

PgPoolOptions PoolOn(const std::string& url, std::size_t size,
                     std::chrono::milliseconds borrow_timeout = 5000ms) {
  auto connection_string = PgConnectionString(url);
  REQUIRE(connection_string);
  return {.connection_string = *connection_string, .size = size, .borrow_timeout = borrow_timeout};
}

int BackendPid(pqxx::connection& connection) {
  return pqxx::nontransaction(connection).exec1("SELECT pg_backend_pid()")[0].as<int>();
}

// Terminates backend `pid` and waits (up to 5 s, in the server) until it has exited.
void Terminate(const testing::PgTestDatabase& database, int pid) {
  database.Admin("SELECT pg_terminate_backend(" + std::to_string(pid) + ", 5000)");
}

TEST_CASE("a server that cannot be reached is kUnavailable at once, and frees its slot") {
  PgPool pool(PoolOn("postgresql://nobody@127.0.0.1:1/none", 1));
  auto lease = pool.Borrow();
  REQUIRE_FALSE(lease);
  CHECK(lease.error().code == ErrorCode::kUnavailable);
  CHECK(lease.error().message.starts_with("cannot connect to the database ("));
  CHECK(pool.open_count() == 0);
  CHECK(pool.Borrow().error().code == ErrorCode::kUnavailable);  // not "all 1 are busy"
  CHECK(pool.Borrow().error().message.starts_with("cannot connect"));
}

TEST_SUITE_BEGIN("postgresql" * doctest::skip(!testing::PgInstalled()));

TEST_CASE("a pool lends at most its size and answers kUnavailable once its borrow timeout passes") {
  testing::PgTestDatabase database;
  PgPool pool(PoolOn(database.url(), 2, 300ms));
  auto first = pool.Borrow();
  auto second = pool.Borrow();
  REQUIRE(first);
  REQUIRE(second);
  CHECK(BackendPid(**first) != BackendPid(**second));
  CHECK(pool.open_count() == 2);

  const auto started = std::chrono::steady_clock::now();
  auto third = pool.Borrow();
  const auto waited = std::chrono::steady_clock::now() - started;
  REQUIRE_FALSE(third);
  CHECK(third.error().code == ErrorCode::kUnavailable);
  CHECK(third.error().message == "all 2 database connections are busy (waited 300 ms)");
  CHECK(waited >= 300ms);
  CHECK(waited < 3s);

  const int returned_pid = BackendPid(**first);
  { auto done = std::move(*first); }  // returned to the pool
  auto reused = pool.Borrow();
  REQUIRE(reused);
  CHECK(BackendPid(**reused) == returned_pid);  // kept open, not reconnected
  CHECK(pool.open_count() == 2);
}

TEST_CASE("work whose connection was terminated runs once more on a fresh connection") {
  testing::PgTestDatabase database;
  PgPool pool(PoolOn(database.url(), 1));
  auto first_pid =
      RunOnPool(pool, "pid", [](pqxx::connection& c) -> Result<int> { return BackendPid(c); });
  REQUIRE(first_pid);
  Terminate(database, *first_pid);  // the pool's idle connection is now dead

  int attempts = 0;
  auto second_pid = RunOnPool(pool, "pid", [&](pqxx::connection& c) -> Result<int> {
    ++attempts;
    return BackendPid(c);
  });
  REQUIRE(second_pid);
  CHECK(attempts == 2);
  CHECK(*second_pid != *first_pid);
  CHECK(pool.open_count() == 1);
}

TEST_CASE("work that loses its connection twice is kUnavailable, not retried again") {
  testing::PgTestDatabase database;
  PgPool pool(PoolOn(database.url(), 2));
  int attempts = 0;
  Status status = RunOnPool(pool, "write series 'x'", [&](pqxx::connection& c) -> Status {
    ++attempts;
    pqxx::nontransaction(c).exec("SELECT pg_terminate_backend(pg_backend_pid())");
    return {};
  });
  REQUIRE_FALSE(status);
  CHECK(attempts == 2);
  CHECK(status.error().code == ErrorCode::kUnavailable);
  CHECK(status.error().message.starts_with("write series 'x': database connection lost ("));
  CHECK(pool.open_count() == 0);  // both broken connections were dropped
  CHECK(RunOnPool(pool, "pid", [](pqxx::connection& c) -> Result<int> { return BackendPid(c); }));
}

TEST_CASE("an error that is not a lost connection is answered at once, without a retry") {
  testing::PgTestDatabase database;
  PgPool pool(PoolOn(database.url(), 1));
  int attempts = 0;
  Status status = RunOnPool(pool, "read series 'x'", [&](pqxx::connection& c) -> Status {
    ++attempts;
    pqxx::nontransaction(c).exec("SELECT * FROM no_such_table");
    return {};
  });
  REQUIRE_FALSE(status);
  CHECK(attempts == 1);
  CHECK(status.error().code == ErrorCode::kInternal);
  CHECK(status.error().message.find("no_such_table") != std::string::npos);
  CHECK(pool.open_count() == 1);  // the connection is healthy and kept
}

TEST_CASE("a borrower waiting on a full pool gets the connection another returns") {
  testing::PgTestDatabase database;
  PgPool pool(PoolOn(database.url(), 1, 10s));
  auto held = pool.Borrow();
  REQUIRE(held);
  std::optional<Result<PgPool::Lease>> waited;
  std::thread waiter([&] { waited.emplace(pool.Borrow()); });
  { auto done = std::move(*held); }
  waiter.join();
  REQUIRE(waited);
  CHECK(waited->has_value());
}

TEST_SUITE_END();

}  // namespace
}  // namespace patchcast::storage::pg
