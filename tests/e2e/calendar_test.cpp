// Calendars end to end (issue 3): the real binary, its SQLite file, restarts and API keys.
#include <atomic>
#include <csignal>
#include <fstream>
#include <thread>
#include <utility>
#include <vector>

#include "tests/e2e/e2e.h"

namespace patchcast::testing {
namespace {

using nlohmann::json;

HttpReply Post(const ServerProcess& server, const std::string& path, const std::string& body,
               std::vector<std::string> headers = {}) {
  headers.push_back("Content-Type: application/json");
  return Call(server, MakeRequest("POST", path, headers, body));
}

HttpReply Delete(const ServerProcess& server, const std::string& path,
                 const std::vector<std::string>& headers = {}) {
  return Call(server, MakeRequest("DELETE", path, headers));
}

// The event `id` of a JSON events list, or null.
json FindEvent(const json& list, const std::string& id) {
  for (const json& event : list["events"]) {
    if (event["id"] == id) return event;
  }
  return nullptr;
}

// Checks `reply` is a 4xx JSON error whose message contains `part`.
void CheckErrorNaming(const HttpReply& reply, int status, const std::string& code,
                      const std::string& part) {
  CheckJsonError(reply, status, code);
  const std::string message = Json(reply)["error"]["message"];
  CHECK_MESSAGE(message.find(part) != std::string::npos, message);
}

TEST_CASE("the built-in calendars are listed and serve Microsoft's 2007 history") {
  auto server = StartServer();
  const json calendars = Json(Get(*server, "/v1/calendars"));
  std::vector<std::string> ids;
  for (const json& calendar : calendars["calendars"]) ids.push_back(calendar["id"]);
  CHECK(ids == std::vector<std::string>{"microsoft", "adobe", "sap", "oracle", "android"});

  const HttpReply august =
      Get(*server, "/v1/calendars/microsoft/events?from=2007-08-01&to=2007-08-31");
  REQUIRE(august.status == 200);
  CHECK(!august.Header("ETag").empty());
  const json events = Json(august);
  const json release = FindEvent(events, "microsoft:2007-08-14:release");
  REQUIRE(release.is_object());
  CHECK(release["start"] == "2007-08-14T17:00:00Z");
  CHECK(release["local_start"] == "2007-08-14T10:00:00");
  CHECK(release["timezone"] == "America/Los_Angeles");
  bool notice = false;
  for (const json& event : events["events"]) {
    notice = notice || (event["kind"] == "advance_notice" &&
                        event["start"].get<std::string>().starts_with("2007-08-09"));
  }
  CHECK(notice);

  const json november =
      Json(Get(*server, "/v1/events?from=2007-11-01&to=2007-11-30&calendar=microsoft"));
  CHECK(FindEvent(november, "microsoft:2007-11-13:release")["start"] == "2007-11-13T18:00:00Z");

  const json next = Json(Get(*server, "/v1/events/next?calendar=microsoft&kind=release"));
  CHECK(next["event"]["kind"] == "release");
  CHECK(next["event"]["start"].get<std::string>() > next["after"].get<std::string>());
  const json after = Json(
      Get(*server, "/v1/events/next?calendar=microsoft&kind=release&after=2007-11-01T00:00:00Z"));
  CHECK(after["event"]["id"] == "microsoft:2007-11-13:release");
}

TEST_CASE("custom calendars and overrides persist across a restart and change the events") {
  auto server = StartServer();
  const HttpReply rule = Post(*server, "/v1/calendars",
                              R"({"id":"ops","name":"Ops window","timezone":"Europe/Berlin",
                                  "rrule":"FREQ=MONTHLY;BYDAY=2TU","dtstart":"2026-01-13T10:00",
                                  "kind":"release"})");
  REQUIRE(rule.status == 201);
  CHECK(rule.Header("Location") == "/v1/calendars/ops");
  const HttpReply dates = Post(*server, "/v1/calendars",
                               R"({"id":"freeze","name":"Freeze","timezone":"UTC",
                                   "dates":["2026-12-24","2026-12-31T18:00"]})");
  REQUIRE(dates.status == 201);
  const HttpReply cancel = Post(*server, "/v1/calendars/microsoft/overrides",
                                R"({"date":"2026-12-08","action":"cancel","kind":"release"})");
  REQUIRE(cancel.status == 201);
  const std::string cancel_id = Json(cancel)["id"];
  CHECK(cancel_id.starts_with("ovr-"));
  REQUIRE(Post(*server, "/v1/calendars/microsoft/overrides",
               R"({"date":"2026-11-10","action":"annotate","bulletins":12,"max_severity":"critical",
                   "restart_required":true})")
              .status == 201);

  auto check_state = [](const ServerProcess& s) {
    const json ops = Json(Get(s, "/v1/calendars/ops/events?from=2026-07-01&to=2026-07-31"));
    REQUIRE(ops["events"].size() == 1);
    CHECK(ops["events"][0]["start"] == "2026-07-14T08:00:00Z");
    CHECK(ops["events"][0]["kind"] == "release");
    const json freeze = Json(Get(s, "/v1/events?calendar=freeze&from=2026-12-01&to=2026-12-31"));
    REQUIRE(freeze["events"].size() == 2);
    CHECK(freeze["events"][1]["start"] == "2026-12-31T18:00:00Z");
    const json microsoft =
        Json(Get(s, "/v1/calendars/microsoft/events?from=2026-11-01&to=2026-12-31"));
    CHECK(FindEvent(microsoft, "microsoft:2026-12-08:release").is_null());
    const json november = FindEvent(microsoft, "microsoft:2026-11-10:release");
    REQUIRE(november.is_object());
    CHECK(november["bulletins"] == 12);
    CHECK(november["max_severity"] == "critical");
    CHECK(november["restart_required"] == true);
    CHECK(november["source"] == "override");
    CHECK(Json(Get(s, "/v1/calendars/microsoft/overrides"))["overrides"].size() == 2);
    CHECK(Json(Get(s, "/v1/calendars"))["calendars"].size() == 7);
  };
  check_state(*server);
  const json override_read = Json(Get(*server, "/v1/calendars/microsoft/overrides/" + cancel_id));
  CHECK(override_read["id"] == cancel_id);
  CHECK(override_read["calendar"] == "microsoft");
  CHECK(override_read["action"] == "cancel");
  const HttpReply feed =
      Get(*server, "/v1/events.ics?calendar=freeze&from=2026-12-01&to=2026-12-31");
  CHECK(feed.status == 200);
  CHECK(feed.Header("Content-Type").starts_with("text/calendar"));
  CHECK(feed.body.find("UID:freeze:2026-12-31:custom@patchcast") != std::string::npos);
  const HttpReply ops_feed =
      Get(*server, "/v1/calendars/ops/events.ics?from=2026-07-01&to=2026-07-31");
  CHECK(ops_feed.status == 200);
  CHECK(ops_feed.body.find("DTSTART:20260714T080000Z") != std::string::npos);

  const std::string db = server->db();
  server->Signal(SIGTERM);
  REQUIRE(server->Wait(std::chrono::seconds(15)) == 0);
  auto again = StartServer({.args = {"--db", db}, .use_default_db = false});
  check_state(*again);

  // Removing the override restores the release; deleting a calendar forgets it.
  CHECK(Delete(*again, "/v1/calendars/microsoft/overrides/" + cancel_id).status == 204);
  CheckJsonError(Get(*again, "/v1/calendars/microsoft/overrides/" + cancel_id), 404, "not_found");
  const json restored =
      Json(Get(*again, "/v1/calendars/microsoft/events?from=2026-12-01&to=2026-12-31"));
  CHECK(FindEvent(restored, "microsoft:2026-12-08:release").is_object());
  CHECK(Delete(*again, "/v1/calendars/freeze").status == 204);
  CheckJsonError(Get(*again, "/v1/calendars/freeze"), 404, "not_found");
}

TEST_CASE("deleting a calendar needs an admin key; creating one a write key") {
  auto write_key = ServerProcess::Run({"keys", "new", "--scope", "write", "--name", "writer"});
  auto admin_key = ServerProcess::Run({"keys", "new", "--scope", "admin", "--name", "admin"});
  REQUIRE(write_key.exit_status == 0);
  REQUIRE(admin_key.exit_status == 0);
  auto token_and_line = [](const std::string& out) {
    const std::size_t newline = out.find('\n');
    return std::pair{out.substr(0, newline),
                     out.substr(newline + 1, out.find('\n', newline + 1) - newline - 1)};
  };
  const auto [writer_token, writer_line] = token_and_line(write_key.out);
  const auto [admin_token, admin_line] = token_and_line(admin_key.out);
  TempDir dir;
  const std::string keys_file = (dir / "keys").string();
  std::ofstream(keys_file) << writer_line << "\n" << admin_line << "\n";
  auto server = StartServer({.args = {"--api-keys", keys_file}});
  const std::string writer = "Authorization: Bearer " + writer_token;
  const std::string admin = "Authorization: Bearer " + admin_token;

  CheckJsonError(Post(*server, "/v1/calendars",
                      R"({"id":"x","name":"X","timezone":"UTC","dates":["2026-01-01"]})"),
                 401, "unauthenticated");
  REQUIRE(Post(*server, "/v1/calendars",
               R"({"id":"x","name":"X","timezone":"UTC","dates":["2026-01-01"]})", {writer})
              .status == 201);
  CheckJsonError(Delete(*server, "/v1/calendars/x", {writer}), 403, "forbidden");
  CHECK(Delete(*server, "/v1/calendars/x", {admin}).status == 204);
}

TEST_CASE("bad input is 4xx with a message naming the field") {
  auto server = StartServer();
  CheckErrorNaming(Get(*server, "/v1/events?from=2026-02-30&to=2026-03-31"), 400,
                   "invalid_argument", "query parameter 'from': '2026-02-30' is not a valid date");
  CheckErrorNaming(Get(*server, "/v1/events?from=2026-03-01&to=2026-02-01"), 400,
                   "invalid_argument", "range start 2026-03-01 is after its end 2026-02-01");
  CheckErrorNaming(Get(*server, "/v1/events?from=1900-01-01&to=2199-12-31"), 400,
                   "invalid_argument", "spans more than 200 years");
  CheckErrorNaming(Get(*server, "/v1/calendars/nope/events"), 404, "not_found",
                   "calendar 'nope' does not exist");
  CheckErrorNaming(Get(*server, "/v1/events?calendar=microsoft&colour=red"), 400,
                   "invalid_argument", "unknown query parameter 'colour'");
  CheckErrorNaming(
      Post(*server, "/v1/calendars",
           R"({"id":"z","name":"Z","timezone":"Mars/Olympus","dates":["2026-01-01"]})"),
      400, "invalid_argument", "field 'timezone'");
  CheckErrorNaming(Post(*server, "/v1/calendars",
                        R"({"id":"z","name":"Z","timezone":"UTC","rrule":"FREQ=DAILY;BYHOUR=9",
                            "dtstart":"2026-01-01"})"),
                   422, "unprocessable", "BYHOUR");
  CheckErrorNaming(
      Post(*server, "/v1/calendars",
           R"({"id":"z","name":"Z","timezone":"UTC","dates":["2026-01-01"],"color":1})"),
      400, "invalid_argument", "unknown field 'color'");
  CheckErrorNaming(Post(*server, "/v1/calendars",
                        R"({"id":"z","name":"Z","timezone":"UTC","dates":"2026-01-01"})"),
                   400, "invalid_argument",
                   "field 'dates' must be an array of strings, not string");
  CheckErrorNaming(Post(*server, "/v1/calendars/microsoft/overrides",
                        R"({"date":"2026-12-08","action":"annotate","bulletins":"12"})"),
                   400, "invalid_argument", "field 'bulletins' must be an integer, not string");
  CheckErrorNaming(Post(*server, "/v1/calendars",
                        R"({"id":"microsoft","name":"M","timezone":"UTC","dates":["2026-01-01"]})"),
                   409, "conflict", "microsoft");
}

TEST_CASE("concurrent creations of one id give exactly one 201") {
  auto server = StartServer();
  std::vector<std::thread> threads;
  std::atomic<int> created{0};
  std::atomic<int> conflicts{0};
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      auto reply = Exchange(
          server->port(),
          MakeRequest("POST", "/v1/calendars", {"Content-Type: application/json"},
                      R"({"id":"race","name":"R","timezone":"UTC","dates":["2026-01-01"]})"));
      if (reply && reply->status == 201) ++created;
      if (reply && reply->status == 409) ++conflicts;
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(created == 1);
  CHECK(conflicts == 5);
}

}  // namespace
}  // namespace patchcast::testing
