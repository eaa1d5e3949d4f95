// Start-up, configuration and shutdown of the real binary.
#include <csignal>
#include <fstream>

#include "tests/e2e/e2e.h"

namespace patchcast::testing {
namespace {

TEST_CASE("SIGTERM and SIGINT stop the server cleanly") {
  for (int signal : {SIGTERM, SIGINT}) {
    auto server = StartServer();
    CHECK(Get(*server, "/healthz").status == 200);
    server->Signal(signal);
    CHECK(server->Wait(std::chrono::seconds(15)) == 0);
    CHECK(server->Log().find("\"msg\":\"stopped\"") != std::string::npos);
  }
}

TEST_CASE("SIGTERM closes idle kept-alive connections and the server still exits cleanly") {
  auto server = StartServer({.args = {"--keep-alive-timeout", "2"}});
  auto connection = RawConnection::Open(server->port());
  REQUIRE(connection);
  connection->Send(MakeRequest("GET", "/healthz"));
  auto reply = connection->Read();
  REQUIRE(reply);
  CHECK(reply->status == 200);
  // The connection stays open, idle, while the server shuts down: it must not hold the exit.
  server->Signal(SIGTERM);
  CHECK(connection->PeerClosed(std::chrono::seconds(15)));
  CHECK(server->Wait(std::chrono::seconds(15)) == 0);
}

// Made through the backup route, which only SQLite has (PostgreSQL answers 422).
TEST_CASE("SIGTERM lets a request whose body is still arriving complete" *
          doctest::skip(SuiteOnPostgres())) {
  auto server = StartServer();
  auto upload = RawConnection::Open(server->port());
  REQUIRE(upload);
  const std::string body = R"({"label":"in-flight"})";
  upload->Send(MakeRequest("POST", "/v1/admin/backups",
                           {"Content-Type: application/json",
                            "Content-Length: " + std::to_string(body.size())}) +
               body.substr(0, 5));
  // Wait until the server counts the upload in flight (this scrape is the other one).
  bool in_flight = false;
  for (int attempt = 0; attempt < 500 && !in_flight; ++attempt) {
    in_flight = Get(*server, "/metrics").body.find("patchcast_http_requests_in_flight 2") !=
                std::string::npos;
  }
  REQUIRE(in_flight);
  server->Signal(SIGTERM);
  REQUIRE(server->WaitForLog("shutting down", std::chrono::seconds(5)));
  upload->Send(body.substr(5));
  auto reply = upload->Read();
  REQUIRE(reply);
  CHECK(reply->status == 201);
  CHECK(server->Wait(std::chrono::seconds(15)) == 0);
  CHECK(
      std::filesystem::exists(server->dir() / "backups" / Json(*reply)["name"].get<std::string>()));
}

TEST_CASE("migrations run on an empty database, and a restart keeps it") {
  auto server = StartServer();
  const int version = Json(Get(*server, "/readyz"))["schema_version"];
  CHECK(version >= 1);
  const std::string db = server->db();
  server->Signal(SIGTERM);
  REQUIRE(server->Wait(std::chrono::seconds(15)) == 0);
  auto again = StartServer({.args = {"--db", db}, .use_default_db = false});
  CHECK(Json(Get(*again, "/readyz"))["schema_version"] == version);
}

TEST_CASE("a corrupt database stops start-up with a message and is left as it was") {
  TempDir dir;
  const std::string db = (dir / "p.db").string();
  const std::string garbage(8192, 'x');
  std::ofstream(db, std::ios::binary) << garbage;
  auto outcome = ServerProcess::Run({"serve", "--listen", "127.0.0.1:0", "--db", db});
  CHECK(outcome.exit_status == 1);
  CHECK(outcome.err.find(db) != std::string::npos);
  std::ifstream file(db, std::ios::binary);
  CHECK(std::string(std::istreambuf_iterator<char>(file), {}) == garbage);
}

TEST_CASE("a database in a missing directory stops start-up without creating anything") {
  TempDir dir;
  const std::string db = (dir / "missing" / "p.db").string();
  auto outcome = ServerProcess::Run({"serve", "--listen", "127.0.0.1:0", "--db", db});
  CHECK(outcome.exit_status == 1);
  CHECK(outcome.err.find(db) != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "missing"));
}

TEST_CASE("help documents every option with its environment variable") {
  auto help = ServerProcess::Run({"serve", "--help"});
  CHECK(help.exit_status == 0);
  for (const char* option : {"--listen", "--db", "--api-keys", "--threads", "--max-body",
                             "--read-timeout", "--write-timeout", "--cors-origin", "--log-level",
                             "--insecure", "PATCHCAST_LISTEN", "PATCHCAST_DB"}) {
    CHECK_MESSAGE(help.out.find(option) != std::string::npos, option);
  }
  CHECK(ServerProcess::Run({"--help"}).out.find("serve") != std::string::npos);
  CHECK(ServerProcess::Run({}).exit_status == 2);
}

TEST_CASE("a bad option or value names itself and exits 2") {
  auto unknown = ServerProcess::Run({"serve", "--frobnicate"});
  CHECK(unknown.exit_status == 2);
  CHECK(unknown.err.find("--frobnicate") != std::string::npos);
  auto bad = ServerProcess::Run({"serve", "--threads", "0"});
  CHECK(bad.exit_status == 2);
  CHECK(bad.err.find("--threads") != std::string::npos);
  auto bad_env = ServerProcess::Run({"serve"}, {{"PATCHCAST_LISTEN", "nowhere"}});
  CHECK(bad_env.exit_status == 2);
  CHECK(bad_env.err.find("PATCHCAST_LISTEN") != std::string::npos);
}

TEST_CASE("environment variables configure the server") {
  TempDir dir;
  const std::string db = (dir / "from-env.db").string();
  auto server = StartServer({.env = {{"PATCHCAST_DB", db}}, .use_default_db = false});
  CHECK(std::filesystem::exists(db));
}

}  // namespace
}  // namespace patchcast::testing
