// forecast_http_bench: issue 5's round-trip target — POST /v1/series/{id}/forecast on a year of
// 5-minute data (the --demo series), storage read and storing the forecast included — against
// the real server on loopback. Target: <= 100 ms.
// Usage: forecast_http_bench PATH_TO_PATCHCAST
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/bench_support.h"
#include "tests/support/raw_http.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s PATH_TO_PATCHCAST\n", argv[0]);
    return 2;
  }
  namespace fs = std::filesystem;
  using Clock = std::chrono::steady_clock;
  const fs::path dir =
      fs::temp_directory_path() / ("patchcast-forecast-http-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto server = patchcast::bench::StartPatchcast(
      argv[1], (dir / "demo.db").string(), {"--demo", "--demo-end", "2026-11-14T00:00:00Z"});
  if (server.port == 0) {
    std::fprintf(stderr, "patchcast did not start\n");
    return 1;
  }
  std::printf("machine: %s\n", patchcast::bench::MachineDescription().c_str());
  auto connection = patchcast::testing::RawConnection::Open(server.port);
  const std::string request = patchcast::testing::MakeRequest(
      "POST", "/v1/series/demo-login/forecast", {"Content-Type: application/json"},
      R"({"horizon_hours":168})");
  std::vector<double> millis;
  std::size_t bytes = 0;
  for (int run = 0; run < 21; ++run) {
    const auto start = Clock::now();
    connection->Send(request);
    auto reply = connection->Read(std::chrono::seconds(60));
    millis.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    if (!reply || reply->status != 200) {
      std::fprintf(stderr, "forecast failed: %s\n", reply ? reply->body.c_str() : "no reply");
      patchcast::bench::StopPatchcast(server);
      return 1;
    }
    bytes = reply->body.size();
  }
  patchcast::bench::StopPatchcast(server);
  fs::remove_all(dir);
  std::sort(millis.begin(), millis.end());
  std::printf(
      "POST /v1/series/demo-login/forecast (105,120 five-minute points, 168 h, %zu-byte reply), "
      "21 runs: median %.1f ms, min %.1f ms, max %.1f ms   (target <= 100 ms)\n",
      bytes, millis[millis.size() / 2], millis.front(), millis.back());
  return 0;
}
