// Replicas of the real binary on one PostgreSQL database (--db postgresql://...): they start
// together and migrate once, what one acknowledges the other serves, a cached reply of one
// follows the other's writes (calendars included), the password shows nowhere, and `patchcast
// migrate-db` moves a served SQLite database over.
#include <doctest/doctest.h>
#include <signal.h>

#include <memory>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <string>
#include <thread>

#include "tests/e2e/e2e.h"
#include "tests/support/pg_test_database.h"

namespace patchcast::testing {
namespace {

constexpr std::int64_t kNov1 = 1'793'491'200;  // 2026-11-01T00:00:00Z

std::string Csv(std::int64_t start, int count) {
  std::string body = "ts,value\n";
  for (int i = 0; i < count; ++i) {
    body += std::to_string(start + 60 * i) + "," + std::to_string(100 + i) + "\n";
  }
  return body;
}

HttpReply Upload(const ServerProcess& server, const std::string& body) {
  return Call(server,
              MakeRequest("POST", "/v1/series/logins/points", {"Content-Type: text/csv"}, body));
}

// A database whose owner must give a password, and the URL that gives it.
struct PasswordDatabase {
  PgTestDatabase database;
  std::string url;

  PasswordDatabase() {
    const std::string role(PgCluster::kPasswordRole);
    database.Admin("DROP ROLE IF EXISTS " + role);
    database.Admin("CREATE ROLE " + role + " LOGIN PASSWORD 's3cret'");
    database.Admin("ALTER DATABASE " + database.name() + " OWNER TO " + role);
    url = "postgresql://" + role +
          ":s3cret@127.0.0.1:" + std::to_string(database.cluster().port()) + "/" + database.name();
  }
};

// Starts `count` replicas on `url` at the same moment; fails the test if any does not start.
std::vector<std::unique_ptr<ServerProcess>> StartReplicas(const std::string& url, int count) {
  std::vector<std::unique_ptr<ServerProcess>> replicas(count);
  std::vector<std::string> failures(count);
  std::vector<std::thread> starting;
  for (int i = 0; i < count; ++i) {
    starting.emplace_back([&, i] {
      ServerOptions options;
      options.use_default_db = false;
      options.args = {"--db", url, "--db-pool", "4"};
      replicas[i] = ServerProcess::Start(options, &failures[i]);
    });
  }
  for (std::thread& thread : starting) thread.join();
  for (int i = 0; i < count; ++i) {
    if (!replicas[i]) FAIL("replica " << i << ": " << failures[i]);
  }
  return replicas;
}

TEST_CASE("an unreachable PostgreSQL server stops start-up with a message, not a hang") {
  ServerProcess::Outcome outcome =
      ServerProcess::Run({"serve", "--listen", "127.0.0.1:0", "--db",
                          "postgresql://app:s3cret@127.0.0.1:1/patchcast"});
  CHECK(outcome.exit_status == 1);
  CHECK(outcome.err.find("postgresql://app:***@127.0.0.1:1/patchcast") != std::string::npos);
  CHECK(outcome.err.find("s3cret") == std::string::npos);
}

TEST_SUITE_BEGIN("postgresql" * doctest::skip(!PgInstalled()));

TEST_CASE("two replicas starting together on one PostgreSQL database migrate it once") {
  PasswordDatabase shared;
  auto replicas = StartReplicas(shared.url, 2);
  pqxx::connection admin(shared.database.url());
  const pqxx::row applied = pqxx::nontransaction(admin).exec1(
      "SELECT count(*), count(DISTINCT version), max(version) FROM schema_migrations");
  CHECK(applied[0].as<int>() == applied[2].as<int>());
  CHECK(applied[1].as<int>() == applied[2].as<int>());
  for (const auto& replica : replicas) {
    const nlohmann::json ready = Json(Get(*replica, "/readyz"));
    CHECK(ready["status"] == "ready");
    CHECK(ready["schema_version"] == applied[2].as<int>());
  }
}

TEST_CASE("what one replica acknowledges the other serves, and its cached replies follow") {
  PasswordDatabase shared;
  auto replicas = StartReplicas(shared.url, 2);
  const ServerProcess& writer = *replicas[0];
  const ServerProcess& reader = *replicas[1];

  REQUIRE(Upload(writer, Csv(kNov1, 60)).status == 200);
  HttpReply first = Get(reader, "/v1/series/logins/points");
  REQUIRE(first.status == 200);
  CHECK(Json(first)["points"].size() == 60);
  const std::string etag = first.Header("ETag");
  CHECK(Get(reader, "/v1/series/logins/points", {"If-None-Match: " + etag}).status == 304);

  // A write through the other replica changes what this one serves at once, cache or not.
  REQUIRE(Upload(writer, Csv(kNov1 + 3600, 30)).status == 200);
  HttpReply after = Get(reader, "/v1/series/logins/points", {"If-None-Match: " + etag});
  REQUIRE(after.status == 200);
  CHECK(after.Header("ETag") != etag);
  CHECK(Json(after)["points"].size() == 90);
  CHECK(Json(Get(reader, "/v1/series/logins"))["point_count"] == 90);
}

TEST_CASE("a calendar or override made through one replica is served by the other at once") {
  PasswordDatabase shared;
  auto replicas = StartReplicas(shared.url, 2);
  const ServerProcess& writer = *replicas[0];
  const ServerProcess& reader = *replicas[1];
  const std::string events = "/v1/calendars/freeze/events?from=2026-12-01&to=2026-12-31";
  CHECK(Get(reader, "/v1/calendars/freeze").status == 404);

  REQUIRE(Call(writer, MakeRequest("POST", "/v1/calendars", {"Content-Type: application/json"},
                                   R"({"id":"freeze","name":"Freeze","timezone":"UTC",)"
                                   R"("dates":["2026-12-24","2026-12-31"]})"))
              .status == 201);
  HttpReply listed = Get(reader, events);
  REQUIRE(listed.status == 200);
  CHECK(Json(listed)["events"].size() == 2);

  // The reader's cached events follow an override made through the writer.
  REQUIRE(Call(writer, MakeRequest("POST", "/v1/calendars/freeze/overrides",
                                   {"Content-Type: application/json"},
                                   R"({"date":"2026-12-31","action":"cancel"})"))
              .status == 201);
  HttpReply after = Get(reader, events, {"If-None-Match: " + listed.Header("ETag")});
  REQUIRE(after.status == 200);
  CHECK(Json(after)["events"].size() == 1);

  // And the reader refuses what the writer already made.
  CHECK(Call(reader, MakeRequest("POST", "/v1/calendars", {"Content-Type: application/json"},
                                 R"({"id":"freeze","name":"F","timezone":"UTC",)"
                                 R"("dates":["2026-12-24"]})"))
            .status == 409);
  REQUIRE(Call(writer, MakeRequest("DELETE", "/v1/calendars/freeze")).status == 204);
  CHECK(Get(reader, "/v1/calendars/freeze").status == 404);
}

TEST_CASE("the database password shows neither in the log, nor in /readyz, nor in an error") {
  PasswordDatabase shared;
  auto replicas = StartReplicas(shared.url, 1);
  ServerProcess& replica = *replicas[0];
  CHECK(Get(replica, "/readyz").body.find("s3cret") == std::string::npos);
  REQUIRE(replica.WaitForLog("listening", std::chrono::seconds(10)));
  const std::string log = replica.Log();
  CHECK(log.find("s3cret") == std::string::npos);
  CHECK(log.find(":***@127.0.0.1:") != std::string::npos);

  // Backups are PostgreSQL's own: the endpoint says so, by the redacted URL.
  HttpReply backup = Call(replica, MakeRequest("POST", "/v1/admin/backups"));
  CheckJsonError(backup, 422, "unprocessable");
  CHECK(backup.body.find("pg_dump") != std::string::npos);
  CHECK(backup.body.find("s3cret") == std::string::npos);
  CHECK(Json(Get(replica, "/v1/admin/backups"))["backups"].empty());
}

TEST_CASE("patchcast migrate-db copies a served SQLite database into PostgreSQL") {
  TempDir dir;
  const std::string source = (dir / "source.db").string();  // SQLite whatever the suite runs on
  ServerOptions sqlite_options;
  sqlite_options.use_default_db = false;
  sqlite_options.args = {"--db", source};
  std::string failure;
  auto sqlite = ServerProcess::Start(sqlite_options, &failure);
  REQUIRE_MESSAGE(sqlite, failure);
  REQUIRE(Upload(*sqlite, Csv(kNov1, 90)).status == 200);
  REQUIRE(Call(*sqlite, MakeRequest("POST", "/v1/calendars", {"Content-Type: application/json"},
                                    R"({"id":"freeze","name":"Freeze","timezone":"UTC",)"
                                    R"("dates":["2026-12-24"]})"))
              .status == 201);
  const std::string points = Get(*sqlite, "/v1/series/logins/points").body;
  const std::string calendar = Get(*sqlite, "/v1/calendars/freeze").body;
  sqlite->Signal(SIGTERM);  // the command copies a database no service writes to
  REQUIRE(sqlite->Wait(std::chrono::seconds(10)) == 0);

  PasswordDatabase target;
  const ServerProcess::Outcome migrated =
      ServerProcess::Run({"migrate-db", "--from", source, "--to", target.url});
  INFO(migrated.err);
  REQUIRE(migrated.exit_status == 0);
  CHECK(migrated.out.find("series        1 (90 points)") != std::string::npos);
  CHECK(migrated.out.find("verified") != std::string::npos);
  CHECK(migrated.out.find("s3cret") == std::string::npos);

  auto replicas = StartReplicas(target.url, 1);
  CHECK(Get(*replicas[0], "/v1/series/logins/points").body == points);
  CHECK(Get(*replicas[0], "/v1/calendars/freeze").body == calendar);

  // Run again, the target is no longer empty: refused, and it is left as it was.
  const ServerProcess::Outcome again =
      ServerProcess::Run({"migrate-db", "--from", source, "--to", target.url});
  CHECK(again.exit_status == 1);
  CHECK(again.err.find("the target database is not empty: it holds series 'logins'") !=
        std::string::npos);
  CHECK(Get(*replicas[0], "/v1/series/logins/points").body == points);
}

TEST_SUITE_END();

}  // namespace
}  // namespace patchcast::testing
