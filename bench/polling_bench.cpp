// polling_bench: issue 16, "many pollers". Every cacheable GET that dashboards and KEDA poll,
// under wrk's load (2 threads, 32 keep-alive connections, 10 s each), against the real service
// and, in the same run, against Debian's nginx serving the very same bytes as static files.
// Target: at least 0.5x nginx's rate with a p99 under 10 ms, path by path.
//
// Patchcast: `patchcast serve --demo --demo-end 2026-11-14T00:00:00Z` with a keys file (pollers
// send a read key, as KEDA and a dashboard would), its default 16 workers, its log to a file.
// After a forecast and a plan for demo-login (the README's capacity model), each path is fetched
// once; its body becomes nginx's file. nginx: worker_processes = hardware threads (both servers
// then have every core of the machine, which wrk shares with them), keep-alive, sendfile,
// access_log off. The 304 row sends each server its own ETag of the latest forecast.
// Usage: polling_bench PATH_TO_PATCHCAST [--seconds 10] [--connections 32]
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_support.h"
#include "bench/nginx_static.h"
#include "bench/wrk_load.h"
#include "tests/support/raw_http.h"

namespace {

namespace fs = std::filesystem;
using patchcast::testing::HttpReply;

struct Options {
  std::string patchcast;
  int seconds = 10;
  int connections = 32;
};

// One polled path: where patchcast answers it, the static file nginx serves it from, and (for
// the 304 row) the file whose ETag the request sends.
struct PolledPath {
  std::string label;
  std::string target;        // on patchcast
  std::string file;          // on nginx, under its root
  bool conditional = false;  // sends If-None-Match with the server's own ETag
};

struct Row {
  PolledPath path;
  std::size_t bytes = 0;
  patchcast::bench::WrkFigures patchcast;
  patchcast::bench::WrkFigures nginx;
};

constexpr const char* kEventsYear = "/v1/calendars/microsoft/events?from=2026-01-01&to=2026-12-31";
constexpr const char* kForecast = "/v1/series/demo-login/forecasts/latest";
constexpr double kTargetRatio = 0.5;
constexpr double kTargetP99Ms = 10.0;

std::optional<Options> ParseOptions(int argc, char** argv) {
  if (argc < 2) return std::nullopt;
  Options options{argv[1]};
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--seconds") {
      options.seconds = std::atoi(argv[i + 1]);
    } else if (flag == "--connections") {
      options.connections = std::atoi(argv[i + 1]);
    } else {
      return std::nullopt;
    }
  }
  return options;
}

std::string RunCapturing(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  char chunk[1024];
  std::size_t n = 0;
  while ((n = std::fread(chunk, 1, sizeof chunk, pipe)) > 0) output.append(chunk, n);
  ::pclose(pipe);
  return output;
}

// Makes a key with `patchcast keys new`, appends its line to `keys_file`, returns its token.
std::string MakeKey(const std::string& binary, const std::string& scope, const std::string& name,
                    const fs::path& keys_file) {
  const std::string output =
      RunCapturing(binary + " keys new --scope " + scope + " --name " + name);
  const std::size_t newline = output.find('\n');
  if (newline == std::string::npos) return "";
  std::ofstream(keys_file, std::ios::app) << output.substr(newline + 1);
  return output.substr(0, newline);
}

std::optional<HttpReply> Call(int port, const std::string& method, const std::string& target,
                              const std::string& token, std::optional<std::string> body = {}) {
  std::vector<std::string> headers = {"Authorization: Bearer " + token};
  if (body) headers.push_back("Content-Type: application/json");
  return patchcast::testing::Exchange(
      port, patchcast::testing::MakeRequest(method, target, headers, std::move(body)));
}

// A forecast and a plan for demo-login, the plan over the README's capacity model.
bool MakeForecastAndPlan(int port, const std::string& token) {
  const auto model =
      Call(port, "PUT", "/v1/series/demo-login/capacity-model", token,
           R"({"unit_capacity":5,"headroom":0.2,"max_units":60,"lead_time_minutes":15,)"
           R"("unit_cost_per_hour":0.1})");
  const auto forecast =
      Call(port, "POST", "/v1/series/demo-login/forecast", token, R"({"horizon_hours":168})");
  const auto plan =
      Call(port, "POST", "/v1/series/demo-login/plan", token, R"({"horizon_hours":168})");
  for (const auto& reply : {model, forecast, plan}) {
    if (!reply || reply->status != 200) {
      std::fprintf(stderr, "setup failed: %s\n", reply ? reply->body.c_str() : "no reply");
      return false;
    }
  }
  return true;
}

// The dashboard's first file under /ui/ that its page loads ("app.js"), if any.
std::optional<std::string> FirstPageAsset(const std::string& page) {
  std::smatch match;
  if (std::regex_search(page, match, std::regex(R"re((?:src|href)="/ui/([A-Za-z0-9._-]+)")re"))) {
    return match[1].str();
  }
  return std::nullopt;
}

// The paths pollers fetch; the dashboard's rows only when the service has the page.
std::vector<PolledPath> PolledPaths(int port, const std::string& token) {
  std::vector<PolledPath> paths = {
      {"events, a year (microsoft)", kEventsYear, "events.json"},
      {"series list", "/v1/series", "series.json"},
      {"latest forecast", kForecast, "forecast.json"},
      {"latest plan", "/v1/series/demo-login/plans/latest", "plan.json"},
      {"plan/current (KEDA)", "/v1/series/demo-login/plan/current", "current.json"},
      {"304, latest forecast", kForecast, "forecast.json", true},
  };
  const auto page = Call(port, "GET", "/", token);
  if (!page || page->status != 200) {
    std::printf(
        "note: GET / answers %d: the dashboard page is not in this build; its rows are "
        "skipped\n",
        page ? page->status : 0);
    return paths;
  }
  paths.push_back({"dashboard page /", "/", "index.html"});
  if (auto asset = FirstPageAsset(page->body)) {
    paths.push_back({"dashboard file /ui/" + *asset, "/ui/" + *asset, "ui/" + *asset});
  }
  // The largest file a page load fetches; served only where libjs-chart.js is installed.
  const auto chart_library = Call(port, "GET", "/ui/chart.min.js", token);
  if (chart_library && chart_library->status == 200) {
    paths.push_back({"chart library /ui/chart.min.js", "/ui/chart.min.js", "ui/chart.min.js"});
  }
  return paths;
}

// Fetches each path once from patchcast and writes its body as nginx's file.
bool WriteStaticCopies(int port, const std::string& token, const std::vector<PolledPath>& paths,
                       const fs::path& root, std::vector<Row>& rows) {
  for (const PolledPath& path : paths) {
    const auto reply = Call(port, "GET", path.target, token);
    if (!reply || reply->status != 200) {
      std::fprintf(stderr, "GET %s failed: %s\n", path.target.c_str(),
                   reply ? reply->body.c_str() : "no reply");
      return false;
    }
    fs::create_directories((root / path.file).parent_path());
    std::ofstream(root / path.file, std::ios::binary) << reply->body;
    Row row;
    row.path = path;
    row.bytes = reply->body.size();
    rows.push_back(std::move(row));
  }
  return true;
}

std::string EtagOf(int port, const std::string& target, const std::string& token) {
  const auto reply = Call(port, "GET", target, token);
  return reply ? reply->Header("ETag") : "";
}

patchcast::bench::WrkFigures Load(int port, const std::string& target,
                                  std::vector<std::string> headers, const Options& options) {
  const patchcast::bench::WrkLoad load{2, options.connections, options.seconds, std::move(headers)};
  return patchcast::bench::RunWrk("http://127.0.0.1:" + std::to_string(port) + target, load);
}

// wrk against both servers, one path at a time, patchcast first.
void MeasureRows(int patchcast_port, int nginx_port, const std::string& token,
                 const Options& options, std::vector<Row>& rows) {
  const std::string auth = "Authorization: Bearer " + token;
  for (Row& row : rows) {
    std::vector<std::string> ours = {auth};
    std::vector<std::string> theirs = {auth};  // ignored by nginx; the same request bytes
    const std::string file_target = "/" + row.path.file;
    if (row.path.conditional) {
      ours.push_back("If-None-Match: " + EtagOf(patchcast_port, row.path.target, token));
      theirs.push_back("If-None-Match: " + EtagOf(nginx_port, file_target, token));
    }
    row.patchcast = Load(patchcast_port, row.path.target, ours, options);
    row.nginx = Load(nginx_port, file_target, theirs, options);
    std::fprintf(stderr, "measured %s\n", row.path.label.c_str());
  }
}

std::string Rate(const patchcast::bench::WrkFigures& figures) {
  if (!figures.ok) return "failed";
  char text[64];
  std::snprintf(text, sizeof text, "%.0f", figures.requests_per_second);
  std::string rate = text;
  if (figures.bad_responses + figures.socket_errors > 0) {
    rate += " (" + std::to_string(figures.bad_responses + figures.socket_errors) + " errors)";
  }
  return rate;
}

void PrintTable(const std::vector<Row>& rows) {
  std::printf(
      "\n| path | bytes | patchcast req/s | p99 | nginx req/s | p99 | ratio | target met |\n"
      "|---|---|---|---|---|---|---|---|\n");
  for (const Row& row : rows) {
    const double ratio = row.nginx.requests_per_second > 0
                             ? row.patchcast.requests_per_second / row.nginx.requests_per_second
                             : 0;
    const bool met = row.patchcast.ok && row.nginx.ok && ratio >= kTargetRatio &&
                     row.patchcast.p99_ms < kTargetP99Ms && row.patchcast.bad_responses == 0 &&
                     row.patchcast.socket_errors == 0;
    std::printf("| %s | %zu | %s | %.2f ms | %s | %.2f ms | %.2fx | %s |\n", row.path.label.c_str(),
                row.path.conditional ? std::size_t{0} : row.bytes, Rate(row.patchcast).c_str(),
                row.patchcast.p99_ms, Rate(row.nginx).c_str(), row.nginx.p99_ms, ratio,
                met ? "yes" : "no");
  }
  for (const Row& row : rows) {
    if (!row.patchcast.ok)
      std::printf("\npatchcast, %s:\n%s", row.path.label.c_str(), row.patchcast.report.c_str());
    if (!row.nginx.ok)
      std::printf("\nnginx, %s:\n%s", row.path.label.c_str(), row.nginx.report.c_str());
  }
}

// The 1, 5 and 15 minute load averages (/proc/loadavg): other work on the machine moves both
// servers' figures, so the table says how busy it was.
std::string LoadAverage() {
  std::ifstream file("/proc/loadavg");
  std::string one, five, fifteen;
  file >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

int Run(const Options& options, const fs::path& dir) {
  const fs::path keys = dir / "keys.txt";
  const std::string writer = MakeKey(options.patchcast, "write", "ops", keys);
  const std::string reader = MakeKey(options.patchcast, "read", "dashboard", keys);
  if (writer.empty() || reader.empty()) {
    std::fprintf(stderr, "patchcast keys new failed\n");
    return 1;
  }
  const auto server = patchcast::bench::StartPatchcastLoggingTo(
      options.patchcast, (dir / "demo.db").string(), (dir / "patchcast.log").string(),
      {"--demo", "--demo-end", "2026-11-14T00:00:00Z", "--api-keys", keys.string()});
  if (server.port == 0) {
    std::fprintf(stderr, "patchcast did not start (log: %s)\n", (dir / "patchcast.log").c_str());
    patchcast::bench::StopPatchcast(server);
    return 1;
  }
  std::vector<Row> rows;
  const bool ready =
      MakeForecastAndPlan(server.port, writer) &&
      WriteStaticCopies(server.port, reader, PolledPaths(server.port, reader), dir / "root", rows);
  const int workers = static_cast<int>(std::thread::hardware_concurrency());
  const auto nginx = ready ? patchcast::bench::StartStaticNginx(dir.string(), workers)
                           : patchcast::bench::StaticNginx{};
  if (ready && nginx.port == 0) {
    std::fprintf(stderr, "nginx did not start (error log: %s/error.log)\n", dir.c_str());
  }
  if (ready && nginx.port != 0) {
    std::printf(
        "patchcast: 16 workers and %d head waiters (the defaults), access log to a file; "
        "nginx: worker_processes %d (one per hardware thread), access_log off; wrk -t2 -c%d "
        "-d%ds --latency, each path against patchcast, then nginx\n",
        workers, workers, options.connections, options.seconds);
    std::printf("load average before: %s\n", LoadAverage().c_str());
    MeasureRows(server.port, nginx.port, reader, options, rows);
    std::printf("load average after: %s\n", LoadAverage().c_str());
    PrintTable(rows);
  }
  patchcast::bench::StopStaticNginx(nginx);
  patchcast::bench::StopPatchcast(server);
  return ready && nginx.port != 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const auto options = ParseOptions(argc, argv);
  if (!options) {
    std::fprintf(stderr, "usage: %s PATH_TO_PATCHCAST [--seconds 10] [--connections 32]\n",
                 argv[0]);
    return 2;
  }
  if (!patchcast::bench::HaveWrk() || !fs::exists("/usr/sbin/nginx")) {
    std::fprintf(stderr, "needs wrk and nginx: apt-get install -y wrk nginx\n");
    return 1;
  }
  std::printf("machine: %s\n", patchcast::bench::MachineDescription().c_str());
  const fs::path dir =
      fs::temp_directory_path() / ("patchcast-polling-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const int status = Run(*options, dir);
  if (status == 0) fs::remove_all(dir);
  return status;
}
