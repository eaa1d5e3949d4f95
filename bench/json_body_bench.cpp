// json_body_bench: issue 13 item 2's memory target — every JSON endpoint given its worst bodies
// (many tiny values, deep nesting, one huge string; each just under the 32 MiB body limit, and a
// simulation's largest accepted demand), 16 requests at once against the real server on loopback.
// Per endpoint and body: the statuses, the burst's time, the server's peak resident growth per
// request as a multiple of the body (VmHWM, reset before each burst through /proc/PID/clear_refs),
// and its resident memory after the burst against the baseline before it.
// Target: peak growth per request <= 4x its body, resident memory back near the baseline.
// Usage: json_body_bench PATH_TO_PATCHCAST [--concurrency N] [--bytes N] [-- SERVE_ARGS...]
//   (default 16 at once, 33,553,408-byte bodies, and --heavy-slots 16 so that heavy routes parse
//   every body instead of refusing the excess with 503)
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_support.h"
#include "tests/support/raw_http.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Endpoint {
  const char* method;
  const char* path;
};

constexpr Endpoint kEndpoints[] = {
    {"POST", "/v1/series/bench/forecast"},
    {"POST", "/v1/series/bench/backtest"},
    {"POST", "/v1/series/bench/plan"},
    {"POST", "/v1/series/bench/plan-backtest"},
    {"POST", "/v1/simulations"},
    {"PUT", "/v1/series/bench"},
    {"PUT", "/v1/series/bench/capacity-model"},
    {"PUT", "/v1/series/bench/reboot-prior"},
    {"POST", "/v1/calendars"},
    {"POST", "/v1/calendars/microsoft/overrides"},
    {"POST", "/v1/admin/backups"},
    {"POST", "/v1/series/bench/points"},
};

// {"x":[[],[],…]}: 3 bytes per value, each a heap block when built (issue 13's +800 MB body).
std::string TinyValues(std::size_t bytes) {
  std::string body = "{\"x\":[[]";
  body.reserve(bytes);
  while (body.size() + 5 <= bytes) body += ",[]";
  return body + "]}";
}

std::string DeepNesting(std::size_t bytes) {
  const std::size_t depth = (bytes - 6) / 2;
  return "{\"x\":" + std::string(depth, '[') + std::string(depth, ']') + "}";
}

std::string HugeString(std::size_t bytes) {
  return "{\"x\":\"" + std::string(bytes - 8, 's') + "\"}";
}

// The largest simulation the service accepts: 7 days of 1-second demand.
std::string LargestSimulation() {
  std::string body = R"({"demand":{"step_seconds":1,"values":[)";
  for (int second = 0; second < 7 * 86'400; ++second) {
    body += second == 0 ? "" : ",";
    body += std::to_string(100 + second % 900);
  }
  return body + R"(]},"capacity":{"units":4,"unit_capacity":300}})";
}

// A field of /proc/PID/status, in bytes ("VmRSS", "VmHWM").
long long StatusBytes(pid_t pid, const std::string& field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with(field + ":")) return std::stoll(line.substr(field.size() + 1)) * 1024;
  }
  return -1;
}

// Resets the process's peak resident size (VmHWM) to its current one (proc(5), clear_refs).
bool ResetPeak(pid_t pid) {
  std::ofstream clear("/proc/" + std::to_string(pid) + "/clear_refs");
  clear << "5";
  return static_cast<bool>(clear.flush());
}

struct Burst {
  std::map<int, int> statuses;  // status -> count; 0 = no reply
  double seconds = 0;
  double slowest_seconds = 0;
};

Burst Post(int port, const Endpoint& endpoint, const std::string& body, int concurrency) {
  const std::string request = patchcast::testing::MakeRequest(
      endpoint.method, endpoint.path, {"Content-Type: application/json"}, body);
  std::vector<int> statuses(static_cast<std::size_t>(concurrency));
  std::vector<double> seconds(static_cast<std::size_t>(concurrency));
  const auto start = Clock::now();
  std::vector<std::thread> clients;
  for (int i = 0; i < concurrency; ++i) {
    clients.emplace_back([&, i] {
      const auto sent = Clock::now();
      auto connection = patchcast::testing::RawConnection::Open(port);
      std::optional<patchcast::testing::HttpReply> reply;
      if (connection && connection->Send(request))
        reply = connection->Read(std::chrono::seconds(120));
      statuses[static_cast<std::size_t>(i)] = reply ? reply->status : 0;
      seconds[static_cast<std::size_t>(i)] =
          std::chrono::duration<double>(Clock::now() - sent).count();
    });
  }
  for (std::thread& client : clients) client.join();
  Burst burst;
  burst.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (int i = 0; i < concurrency; ++i) {
    ++burst.statuses[statuses[static_cast<std::size_t>(i)]];
    burst.slowest_seconds = std::max(burst.slowest_seconds, seconds[static_cast<std::size_t>(i)]);
  }
  return burst;
}

std::string StatusList(const std::map<int, int>& statuses) {
  std::string out;
  for (const auto& [status, count] : statuses) {
    if (!out.empty()) out += " ";
    out += std::to_string(count) + "x" + std::to_string(status);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s PATH_TO_PATCHCAST [--concurrency N] [--bytes N] [-- ARGS]\n",
                 argv[0]);
    return 2;
  }
  int concurrency = 16;
  std::size_t bytes = (32u << 20) - 1024;
  std::vector<std::string> serve_args = {"--heavy-slots", "16"};
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--concurrency" && i + 1 < argc) {
      concurrency = std::stoi(argv[++i]);
    } else if (arg == "--bytes" && i + 1 < argc) {
      bytes = std::stoull(argv[++i]);
    } else if (arg == "--") {
      serve_args.assign(argv + i + 1, argv + argc);
      break;
    } else {
      std::fprintf(stderr, "unknown argument %s\n", arg.c_str());
      return 2;
    }
  }
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("patchcast-json-body-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto server =
      patchcast::bench::StartPatchcast(argv[1], (dir / "bench.db").string(), serve_args);
  if (server.port == 0) {
    std::fprintf(stderr, "patchcast did not start\n");
    return 1;
  }
  std::printf("machine: %s\n", patchcast::bench::MachineDescription().c_str());
  std::printf(
      "%d requests at once per line; growth = (peak VmRSS during the burst - VmRSS "
      "before) / requests / body\n\n",
      concurrency);
  std::printf("%-36s %-7s %10s %-14s %8s %8s %9s %9s %9s\n", "endpoint", "body", "bytes",
              "statuses", "burst s", "slowest", "growth", "before", "after");
  const std::pair<const char*, std::string> bodies[] = {
      {"tiny", TinyValues(bytes)}, {"deep", DeepNesting(bytes)}, {"string", HugeString(bytes)}};
  const std::string largest_simulation = LargestSimulation();
  bool within_target = true;
  auto run = [&](const Endpoint& endpoint, const char* kind, const std::string& body) {
    const long long before = StatusBytes(server.pid, "VmRSS");
    if (!ResetPeak(server.pid)) std::fprintf(stderr, "cannot reset VmHWM; peaks are cumulative\n");
    const Burst burst = Post(server.port, endpoint, body, concurrency);
    const long long peak = StatusBytes(server.pid, "VmHWM");
    const long long after = StatusBytes(server.pid, "VmRSS");
    const double growth =
        static_cast<double>(peak - before) / concurrency / static_cast<double>(body.size());
    within_target = within_target && growth <= 4;
    std::printf("%-4s %-31s %-7s %10zu %-14s %8.2f %8.2f %8.2fx %6.0f MB %6.0f MB\n",
                endpoint.method, endpoint.path, kind, body.size(),
                StatusList(burst.statuses).c_str(), burst.seconds, burst.slowest_seconds, growth,
                before / 1e6, after / 1e6);
    std::fflush(stdout);
  };
  for (const Endpoint& endpoint : kEndpoints) {
    for (const auto& [kind, body] : bodies) run(endpoint, kind, body);
  }
  run({"POST", "/v1/simulations"}, "7d-sim", largest_simulation);
  std::printf("\npeak growth per request <= 4x its body on every line: %s\n",
              within_target ? "yes" : "no");
  patchcast::bench::StopPatchcast(server);
  fs::remove_all(dir);
  return 0;
}
