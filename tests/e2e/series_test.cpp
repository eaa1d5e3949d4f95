// Telemetry end to end: uploads, queries, bad input, concurrency, series-limited keys and
// durability across kill -9, against the real binary.
#include <condition_variable>
#include <csignal>
#include <fstream>
#include <mutex>
#include <thread>

#include "tests/e2e/e2e.h"

namespace patchcast::testing {
namespace {

constexpr std::int64_t kNov1 = 1'793'491'200;  // 2026-11-01T00:00:00Z

std::string Csv(std::int64_t start, int count, int first_value = 0) {
  std::string body = "ts,value\n";
  for (int i = 0; i < count; ++i) {
    body += std::to_string(start + 60 * i) + "," + std::to_string(first_value + i) + "\n";
  }
  return body;
}

HttpReply Upload(const ServerProcess& server, const std::string& series, const std::string& body,
                 const std::string& content_type = "text/csv",
                 const std::vector<std::string>& extra = {}) {
  std::vector<std::string> headers = {"Content-Type: " + content_type};
  headers.insert(headers.end(), extra.begin(), extra.end());
  return Call(server, MakeRequest("POST", "/v1/series/" + series + "/points", headers, body));
}

nlohmann::json Points(const ServerProcess& server, const std::string& series,
                      const std::string& query = "") {
  return Json(Get(server, "/v1/series/" + series + "/points" + query));
}

TEST_CASE("CSV and the three JSON shapes upload, and queries return gaps as null") {
  auto server = StartServer();
  HttpReply csv = Upload(*server, "login", Csv(kNov1, 3, 10));
  REQUIRE(csv.status == 200);
  CHECK(Json(csv)["accepted"] == 3);
  CHECK(Json(csv)["first"] == "2026-11-01T00:00:00Z");
  CHECK(Upload(*server, "login", R"({"points":[["2026-11-01T00:05:00Z",5]]})", "application/json")
            .status == 200);
  CHECK(Upload(*server, "login", R"({"points":[{"ts":1793491560,"value":6}]})", "application/json")
            .status == 200);
  HttpReply columns =
      Upload(*server, "login", R"({"timestamps":["2026-11-01T00:07:00Z"],"values":[7]})",
             "application/json");
  CHECK(columns.status == 200);
  auto points = Points(*server, "login")["points"];
  REQUIRE(points.size() == 8);
  CHECK(points[0] == nlohmann::json::array({"2026-11-01T00:00:00Z", 10}));
  CHECK(points[3][1].is_null());
  CHECK(points[7] == nlohmann::json::array({"2026-11-01T00:07:00Z", 7}));
  auto summary = Json(Get(*server, "/v1/series/login"));
  CHECK(summary["point_count"] == 6);
  CHECK(summary["step_seconds"] == 60);
  CHECK(summary["gaps"]["missing_steps"] == 2);
}

TEST_CASE("queries downsample server-side and speak CSV with empty gaps") {
  auto server = StartServer();
  REQUIRE(Upload(*server, "login", Csv(kNov1, 10, 1)).status == 200);
  auto coarse = Points(*server, "login", "?step=300&agg=max");
  CHECK(coarse["agg"] == "max");
  CHECK(coarse["points"] ==
        nlohmann::json::parse(R"([["2026-11-01T00:00:00Z",5],["2026-11-01T00:05:00Z",10]])"));
  CHECK(Points(*server, "login", "?max_points=2")["points"].size() == 2);
  HttpReply csv = Get(*server,
                      "/v1/series/login/points?format=csv&from=2026-11-01T00:08:00Z&to="
                      "2026-11-01T00:12:00Z");
  CHECK(csv.Header("Content-Type") == "text/csv; charset=utf-8");
  CHECK(csv.body ==
        "ts,value\n2026-11-01T00:08:00Z,9\n2026-11-01T00:09:00Z,10\n2026-11-01T00:10:00Z,\n"
        "2026-11-01T00:11:00Z,\n");
}

TEST_CASE("points are deleted by range, and a series with all its points at once") {
  auto server = StartServer();
  REQUIRE(Upload(*server, "login", Csv(kNov1, 5, 1)).status == 200);
  HttpReply range = Call(*server, MakeRequest("DELETE",
                                              "/v1/series/login/points?from=2026-11-01T00:01:00Z"
                                              "&to=2026-11-01T00:03:00Z"));
  REQUIRE(range.status == 200);
  CHECK(Json(range)["series"] == "login");
  CHECK(Json(range)["deleted"] == 2);
  CHECK(Json(Get(*server, "/v1/series/login"))["point_count"] == 3);
  CHECK(Call(*server, MakeRequest("DELETE", "/v1/series/login")).status == 204);
  CheckJsonError(Get(*server, "/v1/series/login"), 404, "not_found");
  CheckJsonError(Call(*server, MakeRequest("DELETE", "/v1/series/login")), 404, "not_found");
}

TEST_CASE("any max_points is met by a coarser step, never refused") {
  auto server = StartServer(WithDemo());
  const auto daily = Points(*server, "demo-login", "?step=86400&agg=sum");
  double total = 0;
  for (const auto& point : daily["points"]) {
    if (point[1].is_number()) total += point[1].get<double>();
  }
  REQUIRE(total > 0);
  for (const int max_points : {1, 7, 100, 499, 1000}) {
    CAPTURE(max_points);
    HttpReply reply = Get(
        *server, "/v1/series/demo-login/points?agg=sum&max_points=" + std::to_string(max_points));
    REQUIRE_MESSAGE(reply.status == 200, reply.body);
    const auto points = Json(reply)["points"];
    CHECK(points.size() <= static_cast<std::size_t>(max_points));
    double sum = 0;
    for (const auto& point : points) {
      if (point[1].is_number()) sum += point[1].get<double>();
    }
    CHECK(sum == doctest::Approx(total));  // every login in some point
  }
}

TEST_CASE("bad input gets its 4xx with a useful message and leaves the data unchanged") {
  auto server = StartServer();
  REQUIRE(Upload(*server, "login", Csv(kNov1, 5, 100)).status == 200);
  const std::string before = Get(*server, "/v1/series/login/points").body;
  struct Case {
    const char* name;
    std::string request;
    int status;
    const char* message_part;
  };
  auto post = [](const std::string& content_type, const std::string& body,
                 const std::string& query = "") {
    return MakeRequest("POST", "/v1/series/login/points" + query, {"Content-Type: " + content_type},
                       body);
  };
  const std::vector<Case> cases = {
      {"malformed JSON", post("application/json", R"({"points":[["2026-11-01T00:10:00Z",1)"), 400,
       "not valid JSON"},
      {"malformed CSV", post("text/csv", "time,count\n1,2\n"), 400, "header"},
      {"wrong type", post("application/json", R"({"points":[["2026-11-01T00:10:00Z","5"]]})"), 400,
       "points[0]"},
      {"huge number", post("text/csv", "ts,value\n1793491800,1e999\n"), 400, "not a finite"},
      {"NaN", post("text/csv", "ts,value\n1793491800,nan\n"), 400, "not a finite"},
      {"Inf", post("text/csv", "ts,value\n1793491800,inf\n"), 400, "not a finite"},
      {"negative", post("text/csv", "ts,value\n1793491800,-3\n"), 400, "negative"},
      {"over 1e15", post("text/csv", "ts,value\n1793491800,2e15\n"), 400, "over the limit"},
      {"before 1970", post("text/csv", "ts,value\n1969-12-31T23:59:00Z,1\n"), 400, "1970"},
      {"after 9999", post("text/csv", "ts,value\n10000-01-01T00:00:00Z,1\n"), 400, "9999"},
      {"far future", post("text/csv", "ts,value\n2100-01-01T00:00:00Z,1\n"), 422,
       "the latest accepted"},
      {"impossible date", post("text/csv", "ts,value\n2026-02-30T00:00:00Z,1\n"), 400,
       "not a valid date"},
      {"leap second", post("text/csv", "ts,value\n2016-12-31T23:59:60Z,1\n"), 400, "leap seconds"},
      {"off grid", post("text/csv", "ts,value\n2026-11-01T00:10:30Z,1\n"), 422, "grid"},
      {"duplicates", post("text/csv", "ts,value\n1793491800,1\n1793491800,2\n"), 422, "duplicates"},
      {"empty body", post("text/csv", ""), 400, "empty body"},
      {"wrong content type", post("text/plain", "ts,value\n"), 415, "text/plain"},
      {"a 10,000-column line", post("text/csv", "ts,value\n1793491800" + std::string(9999, ',')),
       400, "columns"},
      {"conflict on reject", post("text/csv", "ts,value\n1793491200,1\n", "?on_conflict=reject"),
       409, "already has a value"},
      {"gzip",
       MakeRequest("POST", "/v1/series/login/points",
                   {"Content-Type: text/csv", "Content-Encoding: gzip"},
                   std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00", 8)),
       415, "Content-Encoding"},
      {"chunked",
       "POST /v1/series/login/points HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
       "Transfer-Encoding: chunked\r\n\r\n9\r\nts,value\n\r\n0\r\n\r\n",
       411, "Transfer-Encoding"},
      {"100 MB body",
       MakeRequest("POST", "/v1/series/login/points",
                   {"Content-Type: text/csv", "Content-Length: 104857600"}),
       413, "exceeds the limit"},
  };
  for (const Case& test : cases) {
    CAPTURE(test.name);
    HttpReply reply = Call(*server, test.request);
    CHECK(reply.status == test.status);
    auto error = Json(reply)["error"];
    std::string text = error["message"].get<std::string>();
    for (const auto& detail : error["details"]) text += " | " + detail.get<std::string>();
    CHECK_MESSAGE(text.find(test.message_part) != std::string::npos, text);
  }
  CHECK(Get(*server, "/v1/series/login/points").body == before);
  CHECK(Get(*server, "/healthz").status == 200);
}

TEST_CASE("more than the point limit in one request is 413 stating the limit") {
  auto server = StartServer();
  std::string body = "ts,value\n";
  for (int i = 0; i < 5'000'001; ++i) body += "60,1\n";
  HttpReply reply = Upload(*server, "login", body);
  CheckJsonError(reply, 413, "payload_too_large");
  CHECK(Json(reply)["error"]["message"].get<std::string>().find("5000000") != std::string::npos);
}

TEST_CASE("eight clients uploading into one series lose no point and never see a lock") {
  auto server = StartServer();
  std::vector<std::thread> clients;
  std::atomic<int> failures{0};
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      for (int batch = 0; batch < 10; ++batch) {
        const std::int64_t start = kNov1 + 60 * 100 * (c * 10 + batch);
        auto reply =
            Exchange(server->port(), MakeRequest("POST", "/v1/series/login/points",
                                                 {"Content-Type: text/csv"}, Csv(start, 100)));
        if (!reply || reply->status != 200) ++failures;
      }
    });
  }
  for (auto& client : clients) client.join();
  CHECK(failures == 0);
  CHECK(Json(Get(*server, "/v1/series/login"))["point_count"] == 8 * 10 * 100);
  CHECK(server->Log().find("locked") == std::string::npos);
}

TEST_CASE("a key limited to a prefix never learns that other series exist") {
  TempDir dir;
  auto key =
      ServerProcess::Run({"keys", "new", "--scope", "admin", "--name", "a", "--series", "team-a."});
  std::istringstream lines(key.out);
  std::string token, line;
  std::getline(lines, token);
  std::getline(lines, line);
  auto admin = ServerProcess::Run({"keys", "new", "--scope", "admin", "--name", "root"});
  std::istringstream admin_lines(admin.out);
  std::string admin_token, admin_line;
  std::getline(admin_lines, admin_token);
  std::getline(admin_lines, admin_line);
  std::ofstream(dir / "keys") << line << "\n" << admin_line << "\n";
  auto server = StartServer({.args = {"--api-keys", (dir / "keys").string()}});
  const std::string root = "Authorization: Bearer " + admin_token;
  const std::string team_a = "Authorization: Bearer " + token;
  REQUIRE(Upload(*server, "team-b.login", Csv(kNov1, 2), "text/csv", {root}).status == 200);
  REQUIRE(Upload(*server, "team-a.login", Csv(kNov1, 2), "text/csv", {team_a}).status == 200);

  CheckJsonError(Get(*server, "/v1/series/team-b.login", {team_a}), 404, "not_found");
  // Word for word what a series that does not exist gets.
  CHECK(Json(Get(*server, "/v1/series/team-b.login", {team_a}))["error"]["message"] ==
        "series 'team-b.login' does not exist");
  CHECK(Get(*server, "/v1/series/team-b.login/points", {team_a}).status == 404);
  CHECK(Upload(*server, "team-b.login", Csv(kNov1, 2), "text/csv", {team_a}).status == 404);
  auto listed = Json(Get(*server, "/v1/series", {team_a}))["series"];
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["id"] == "team-a.login");
  CHECK(Json(Get(*server, "/v1/series", {root}))["series"].size() == 2);
}

TEST_CASE("after kill -9 every acknowledged upload is there in full and no upload is partial") {
  auto server = StartServer();
  const std::string db = server->db();
  constexpr int kClients = 4;
  constexpr int kBatch = 500;
  std::vector<std::vector<int>> acknowledged(kClients);
  std::size_t acknowledged_count = 0;
  std::mutex mutex;
  std::condition_variable progress;
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      for (int batch = 0; !stop && batch < 400; ++batch) {
        // Batch b of client c covers its own run of minutes, every value = batch + 1.
        const std::int64_t start = kNov1 + 60LL * kBatch * (batch * kClients + c);
        std::string body = "ts,value\n";
        for (int i = 0; i < kBatch; ++i) {
          body += std::to_string(start + 60 * i) + "," + std::to_string(batch + 1) + "\n";
        }
        auto reply = Exchange(server->port(), MakeRequest("POST", "/v1/series/login/points",
                                                          {"Content-Type: text/csv"}, body));
        if (!reply) return;  // the server is gone
        if (reply->status != 200) continue;
        {
          std::lock_guard lock(mutex);
          acknowledged[static_cast<std::size_t>(c)].push_back(batch);
          ++acknowledged_count;
        }
        progress.notify_all();
      }
    });
  }
  // Let uploads run until a few dozen are acknowledged, then kill the server mid-stream.
  {
    std::unique_lock lock(mutex);
    progress.wait_for(lock, std::chrono::seconds(60), [&] { return acknowledged_count >= 40; });
  }
  server->Signal(SIGKILL);
  stop = true;
  for (auto& client : clients) client.join();
  REQUIRE(server->Wait(std::chrono::seconds(10)));

  auto restarted = StartServer({.args = {"--db", db}, .use_default_db = false});
  // Read back per batch with from/to, so each check is exact.
  std::size_t acknowledged_total = 0;
  for (int c = 0; c < kClients; ++c) {
    for (int batch : acknowledged[static_cast<std::size_t>(c)]) {
      const std::int64_t start = kNov1 + 60LL * kBatch * (batch * kClients + c);
      auto window = Points(*restarted, "login",
                           "?from=" + std::to_string(start) +
                               "&to=" + std::to_string(start + 60 * kBatch))["points"];
      REQUIRE(window.size() == kBatch);
      bool complete = true;
      for (const auto& point : window) complete &= point[1] == batch + 1;
      CHECK_MESSAGE(complete, "client " << c << " batch " << batch << " is not complete");
      ++acknowledged_total;
    }
  }
  CHECK(acknowledged_total >= 40);
  // Whatever was stored, acknowledged or not, is whole batches: the count is a multiple of one.
  CHECK(Json(Get(*restarted, "/v1/series/login"))["point_count"].get<int>() % kBatch == 0);
}

}  // namespace
}  // namespace patchcast::testing
