#include "tests/e2e/e2e.h"

#include <ctime>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "tests/support/exposition_check.h"

namespace patchcast::testing {

double MetricValue(const ServerProcess& server, const std::string& name) {
  for (const auto& sample : CheckExposition(Get(server, "/metrics").body).samples) {
    if (sample.name == name) return sample.value;
  }
  FAIL("no sample " << name << " in /metrics");
  return 0;
}

std::string SecondsAfter(const std::string& text, long long seconds) {
  std::tm parts{};
  std::istringstream in(text);
  in >> std::get_time(&parts, "%Y-%m-%dT%H:%M:%SZ");
  if (in.fail()) FAIL("not an RFC 3339 UTC instant: " << text);
  const std::time_t moved = timegm(&parts) + static_cast<std::time_t>(seconds);
  std::tm out{};
  gmtime_r(&moved, &out);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &out);
  return buffer;
}

KeyedServer StartDemoServerWithKey(const std::string& scope) {
  KeyedServer keyed;
  auto made = ServerProcess::Run({"keys", "new", "--scope", scope, "--name", "cron"});
  REQUIRE_MESSAGE(made.exit_status == 0, made.err);
  std::istringstream lines(made.out);
  std::string record;
  std::getline(lines, keyed.token);
  std::getline(lines, record);
  const std::string keys_file = (*keyed.dir / "keys").string();
  std::ofstream(keys_file) << record << "\n";
  keyed.server = StartServer(WithDemo({.args = {"--api-keys", keys_file}}));
  return keyed;
}

DemoRelease LastDemoRelease(const ServerProcess& server) {
  auto series = Json(Get(server, "/v1/series/demo-login"));
  const std::string first = series["first"];
  const std::string last = series["last"];
  auto events = Json(Get(server, "/v1/events?calendar=microsoft&from=" + first.substr(0, 10) +
                                     "&to=" + last.substr(0, 10)))["events"];
  const std::string waves_end = HoursAfter(last, -72);
  DemoRelease release;
  std::string release_date;
  for (const auto& event : events) {
    if (event["kind"] != "release" || event["start"].get<std::string>() > waves_end) continue;
    release.id = event["id"];
    release.start = event["start"];
    release_date = event["local_start"].get<std::string>().substr(0, 10);
  }
  if (release.id.empty())
    FAIL("no Microsoft release with its waves inside " << first << " .. " << last);
  for (const auto& event : events) {
    if (event["kind"] == "advance_notice" && event.value("announces", "") == release_date) {
      release.notice = event["start"];
    }
  }
  if (release.notice.empty()) FAIL("no advance notice announces " << release.id);
  return release;
}

}  // namespace patchcast::testing
