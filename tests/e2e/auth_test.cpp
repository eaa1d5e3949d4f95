// API keys end to end: `patchcast keys new`, the keys file, and 401/403/200 by scope.
#include <chrono>
#include <fstream>
#include <string>
#include <vector>

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
  SUBCASE("a token with CR LF smuggled in as percent-escapes: 400") {
    // cpp-httplib decodes escapes in header values: the CR LF reaches the service and is refused
    // as a malformed head (api/message_syntax.h), before any key is looked at.
    CheckJsonError(
        Get(server, "/v1", {"Authorization: Bearer " + keyed.reader.token + "%0d%0aX-Evil:%201"}),
        400, "bad_request");
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

// Made through the backup route, which only SQLite has (PostgreSQL answers 422).
TEST_CASE("scopes decide 403 or success on admin routes" * doctest::skip(SuiteOnPostgres())) {
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

// Nine days of hourly logins with a working-day shape, ending before 2026-11-14T00:00:00Z: enough
// history to forecast and plan from.
std::string NineDaysCsv() {
  std::string csv = "ts,value\n";
  for (int hour = 0; hour < 9 * 24; ++hour) {
    const int value = hour % 24 >= 8 && hour % 24 < 18 ? 900 + hour % 7 : 100 + hour % 5;
    csv += SecondsAfter("2026-11-05T00:00:00Z", hour * 3600LL) + "," + std::to_string(value) + "\n";
  }
  return csv;
}

TEST_CASE("/metrics shows a key limited to a prefix only its own series' gauges") {
  Key team_a = NewKey({"--scope", "read", "--name", "team-a", "--series", "team-a."});
  Key admin = NewKey({"--scope", "admin", "--name", "ops"});
  TempDir dir;
  const std::string keys_file = (dir / "keys").string();
  std::ofstream(keys_file) << team_a.line << "\n" << admin.line << "\n";
  auto server =
      StartServer({.args = {"--api-keys", keys_file}, .clock_start = "2026-11-14T01:00:00Z"});
  const std::string root = "Authorization: Bearer " + admin.token;
  for (const std::string series : {"team-a.web", "team-b.secret"}) {
    HttpReply uploaded =
        Call(*server, MakeRequest("POST", "/v1/series/" + series + "/points",
                                  {root, "Content-Type: text/csv"}, NineDaysCsv()));
    REQUIRE_MESSAGE(uploaded.status == 200, uploaded.body);
    HttpReply planned = Call(*server, MakeRequest("POST", "/v1/series/" + series + "/plan",
                                                  {root, "Content-Type: application/json"},
                                                  R"({"horizon_hours":24,"unit_capacity":100})"));
    REQUIRE_MESSAGE(planned.status == 200, planned.body);
  }

  HttpReply everything = Get(*server, "/metrics", {root});
  REQUIRE(everything.status == 200);
  CHECK(everything.body.find("patchcast_planned_units{series=\"team-a.web\"}") !=
        std::string::npos);
  CHECK(everything.body.find("patchcast_planned_units{series=\"team-b.secret\"}") !=
        std::string::npos);

  const std::string team_a_auth = "Authorization: Bearer " + team_a.token;
  HttpReply limited = Get(*server, "/metrics", {team_a_auth});
  REQUIRE(limited.status == 200);
  CHECK(limited.body.find("team-b") == std::string::npos);
  CHECK(limited.body.find("patchcast_planned_units{series=\"team-a.web\"}") != std::string::npos);
  CHECK(limited.body.find("patchcast_http_requests_total") != std::string::npos);
  CHECK(limited.body.find("patchcast_series_document_errors 0") != std::string::npos);
  // As the series routes answer the same key.
  CheckJsonError(Get(*server, "/v1/series/team-b.secret/plan/current", {team_a_auth}), 404,
                 "not_found");
}

// A POST whose body cpp-httplib would parse as multipart or inflate, and of which the client sends
// only the first bytes: the answer must come from the headers alone.
struct UndecodedBody {
  std::string name;
  std::vector<std::string> headers;
  std::string sent;            // the first bytes of the body, or all of it
  std::size_t declared_bytes;  // Content-Length
};

std::vector<UndecodedBody> UndecodedBodies() {
  const std::string parts =
      "--XyZ\r\nContent-Disposition: form-data; name=\"points\"; filename=\"p.csv\"\r\n"
      "Content-Type: text/csv\r\n\r\nts,value\n2026-11-01T00:00:00Z,5\n\r\n--XyZ--\r\n";
  // The start of 2 GiB of zeros gzipped (zlib level 9): a 2 MiB body.
  const std::string bomb =
      std::string(
          "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\xec\xc1\x01\x01\x00\x00\x00\x80\x90"
          "\xfe\xaf\xee\x08\x0a",
          24) +
      std::string(1000, '\0');
  return {
      {"a well-formed multipart body",
       {"Content-Type: multipart/form-data; boundary=XyZ"},
       parts,
       parts.size()},
      {"a multipart body without a boundary", {"Content-Type: multipart/form-data"}, "junk", 4},
      {"a large multipart body",
       {"Content-Type: multipart/form-data; boundary=XyZ"},
       parts,
       2u << 20},
      {"a gzip bomb", {"Content-Type: application/json", "Content-Encoding: gzip"}, bomb, 2u << 20},
      {"an invalid gzip body",
       {"Content-Type: application/json", "Content-Encoding: gzip"},
       "{\"label\":\"not gzip\"}",
       20},
      {"a deflate body", {"Content-Type: text/csv", "Content-Encoding: deflate"}, "ts", 4096},
  };
}

TEST_CASE("multipart and compressed bodies are refused from the headers alone, body unread") {
  KeyedServer keyed;
  const ServerProcess& server = *keyed.server;
  for (const UndecodedBody& body : UndecodedBodies()) {
    for (const std::string path : {"/v1/admin/backups", "/v1/series/team-a.web/points"}) {
      for (const bool with_key : {false, true}) {
        CAPTURE(body.name);
        CAPTURE(path);
        CAPTURE(with_key);
        std::vector<std::string> headers = body.headers;
        headers.push_back("Content-Length: " + std::to_string(body.declared_bytes));
        if (with_key) headers.push_back("Authorization: Bearer " + keyed.admin.token);
        auto connection = RawConnection::Open(server.port());
        REQUIRE(connection);
        const auto started = std::chrono::steady_clock::now();
        REQUIRE(connection->Send(MakeRequest("POST", path, headers) + body.sent));
        // The server's read timeout is 10 s: an answer within 5 s did not wait for the body.
        auto reply = connection->Read(std::chrono::seconds(5));
        REQUIRE(reply);
        CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
        if (with_key) {
          CheckJsonError(*reply, 415, "unsupported_media_type");
        } else {
          CheckJsonError(*reply, 401, "unauthenticated");
          CHECK(reply->Header("WWW-Authenticate").starts_with("Bearer"));
        }
        CHECK(reply->Header("Connection") == "close");
        CHECK(connection->PeerClosed());
      }
    }
  }
  CHECK(Get(server, "/healthz").status == 200);
  CHECK(Get(server, "/v1", {"Authorization: Bearer " + keyed.reader.token}).status == 200);
  CHECK(server.Log().find("bad_function_call") == std::string::npos);
  CHECK(server.Log().find("\"status\":408") == std::string::npos);
  CHECK(server.Log().find("\"status\":500") == std::string::npos);
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
