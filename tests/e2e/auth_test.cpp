// API keys end to end: `patchcast keys new`, the keys file, and 401/403/200 by scope.
#include <fstream>

#include "tests/e2e/e2e.h"

namespace patchcast::testing {
namespace {

struct Key {
  std::string token;
  std::string line;
};

Key NewKey(const std::vector<std::string>& flags) {
  std::vector<std::string> args = {"keys", "new"};
  args.insert(args.end(), flags.begin(), flags.end());
  auto outcome = ServerProcess::Run(args);
  REQUIRE(outcome.exit_status == 0);
  std::istringstream lines(outcome.out);
  Key key;
  std::getline(lines, key.token);
  std::getline(lines, key.line);
  std::string extra;
  CHECK_FALSE(std::getline(lines, extra));  // exactly two lines
  return key;
}

TEST_CASE("keys new prints a fresh 256-bit token, then the keys-file line holding only its hash") {
  Key first = NewKey({"--scope", "write", "--name", "ci"});
  Key second = NewKey({"--scope", "write", "--name", "ci"});
  CHECK(first.token.size() == 3 + 43);  // "pc_" + base64url of 32 bytes
  CHECK(first.token.starts_with("pc_"));
  CHECK(first.token != second.token);
  CHECK(first.line.starts_with("sha256:"));
  CHECK(first.line.find(first.token) == std::string::npos);
  CHECK(first.line.find("scope=write") != std::string::npos);
  CHECK(first.line.find("name=ci") != std::string::npos);
  CHECK(NewKey({"--scope", "read", "--name", "a", "--series", "team-a."})
            .line.ends_with("series=team-a."));
}

TEST_CASE("keys new refuses a bad scope or name with a usage error") {
  CHECK(ServerProcess::Run({"keys", "new", "--scope", "root", "--name", "x"}).exit_status == 2);
  auto bad_name = ServerProcess::Run({"keys", "new", "--scope", "read", "--name", "a b"});
  CHECK(bad_name.exit_status == 2);
  CHECK(bad_name.err.find("key name") != std::string::npos);
  CHECK(bad_name.out.empty());
}

struct KeyedServer {
  Key reader = NewKey({"--scope", "read", "--name", "dashboard"});
  Key admin = NewKey({"--scope", "admin", "--name", "ops"});
  std::unique_ptr<ServerProcess> server;

  KeyedServer() {
    TempDir dir;
    const std::string keys_file = (dir / "keys").string();
    std::ofstream(keys_file) << "# test keys\n" << reader.line << "\n\n" << admin.line << "\n";
    server = StartServer({.args = {"--api-keys", keys_file}});
  }
};

TEST_CASE("with a keys file, requests need a valid bearer token") {
  KeyedServer keyed;
  const ServerProcess& server = *keyed.server;
  SUBCASE("no token: 401 with a challenge") {
    HttpReply reply = Get(server, "/v1");
    CheckJsonError(reply, 401, "unauthenticated");
    CHECK(reply.Header("WWW-Authenticate").starts_with("Bearer"));
  }
  SUBCASE("an unknown token: 401") {
    CheckJsonError(Get(server, "/v1", {"Authorization: Bearer pc_not-a-real-key"}), 401,
                   "unauthenticated");
  }
  SUBCASE("a token with CR LF smuggled in as percent-escapes: 401") {
    CheckJsonError(
        Get(server, "/v1", {"Authorization: Bearer " + keyed.reader.token + "%0d%0aX-Evil:%201"}),
        401, "unauthenticated");
  }
  SUBCASE("a read key reads, and the access log names it") {
    HttpReply reply =
        Get(server, "/v1", {"Authorization: Bearer " + keyed.reader.token, "X-Request-Id: k-1"});
    CHECK(reply.status == 200);
    REQUIRE(server.WaitForLog("k-1", std::chrono::seconds(5)));
    CHECK(server.Log().find("\"key\":\"dashboard\"") != std::string::npos);
  }
  SUBCASE("an admin key reads too") {
    CHECK(Get(server, "/metrics", {"Authorization: Bearer " + keyed.admin.token}).status == 200);
  }
  SUBCASE("health and readiness stay open") {
    CHECK(Get(server, "/healthz").status == 200);
    CHECK(Get(server, "/readyz").status == 200);
  }
}

TEST_CASE("scopes decide 403 or success on admin routes") {
  KeyedServer keyed;
  const ServerProcess& server = *keyed.server;
  const std::string reader = "Authorization: Bearer " + keyed.reader.token;
  const std::string admin = "Authorization: Bearer " + keyed.admin.token;
  auto backup = [&](const std::string& auth) {
    return Call(server,
                MakeRequest("POST", "/v1/admin/backups", {auth, "Content-Type: application/json"},
                            R"({"label":"scoped"})"));
  };
  HttpReply refused = backup(reader);
  CheckJsonError(refused, 403, "forbidden");
  CHECK(refused.Header("WWW-Authenticate").find("insufficient_scope") != std::string::npos);
  HttpReply created = backup(admin);
  CHECK(created.status == 201);
  CHECK(Json(created)["name"].get<std::string>().ends_with("-scoped.db"));
  auto listed = Json(Get(server, "/v1/admin/backups", {admin}));
  REQUIRE(listed["backups"].size() == 1);
  CHECK(listed["backups"][0]["name"] == Json(created)["name"]);
  CHECK(Json(Get(server, "/v1/whoami", {reader}))["scope"] == "read");
  CHECK(Json(Get(server, "/v1/whoami", {admin}))["name"] == "ops");
}

TEST_CASE("a rejected upload is drained, so its answer arrives and the connection stays usable") {
  KeyedServer keyed;
  auto connection = RawConnection::Open(keyed.server->port());
  REQUIRE(connection);
  const std::string body = "{\"label\":\"" + std::string(4 << 20, 'a') + "\"}";
  REQUIRE(connection->Send(
      MakeRequest("POST", "/v1/admin/backups", {"Content-Type: application/json"}, body)));
  auto reply = connection->Read();
  REQUIRE(reply);
  CheckJsonError(*reply, 401, "unauthenticated");
  CHECK(reply->Header("Connection") != "close");
  connection->Send(MakeRequest("GET", "/healthz"));
  auto next = connection->Read();
  REQUIRE(next);
  CHECK(next->status == 200);
}

TEST_CASE("start-up refuses a non-loopback address without keys unless --insecure") {
  auto refused = ServerProcess::Run({"serve", "--listen", "0.0.0.0:0", "--db", "/nonexistent"});
  CHECK(refused.exit_status == 2);
  CHECK(refused.err.find("without --api-keys") != std::string::npos);
  auto insecure =
      StartServer({.args = {"--listen", "0.0.0.0:0", "--insecure"}, .use_default_listen = false});
  CHECK(insecure->Log().find("\"address\":\"0.0.0.0:") != std::string::npos);
}

TEST_CASE("a malformed keys file stops start-up with the line that is wrong") {
  TempDir dir;
  const std::string keys_file = (dir / "keys").string();
  std::ofstream(keys_file) << "sha256:1234 scope=read name=x\n";
  auto outcome = ServerProcess::Run({"serve", "--listen", "127.0.0.1:0", "--db",
                                     (dir / "p.db").string(), "--api-keys", keys_file});
  CHECK(outcome.exit_status == 1);
  CHECK(outcome.err.find(keys_file + " line 1") != std::string::npos);
}

}  // namespace
}  // namespace patchcast::testing
