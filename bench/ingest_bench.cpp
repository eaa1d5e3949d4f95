// ingest_bench: the telemetry targets of issue 4, measured end to end, with the sqlite3
// command-line tool importing the same CSV as the peer in the same run.
//   1. Ingest a year of 1-minute points (525,600 CSV rows) through the HTTP API into a fresh
//      database (target >= 1,000,000 points/s), and `sqlite3 .import` of the same file into a plain
//      two-column table; our rate as a ratio to sqlite3's.
//   2. Read that year back through the storage API, no HTTP (target <= 20 ms).
//   3. Query it downsampled to 1,000 points through HTTP (target <= 50 ms).
//   4. The server's peak memory growth while ingesting a 32 MiB body (target <= 4x the body).
// Usage: ingest_bench PATH_TO_PATCHCAST
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_support.h"
#include "server/storage/sqlite_series_repository.h"
#include "server/storage/sqlite_store.h"
#include "tests/support/raw_http.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;
using patchcast::testing::MakeRequest;
using patchcast::testing::RawConnection;

constexpr std::int64_t kNov1 = 1'793'491'200;  // 2026-11-01T00:00:00Z

using Server = patchcast::bench::ChildServer;

// Uploads may reach a year back and ahead of the bench clock.
Server StartServer(const std::string& binary, const std::string& db) {
  return patchcast::bench::StartPatchcast(binary, db, {"--max-future", "31622400"});
}
void StopServer(const Server& server) { patchcast::bench::StopPatchcast(server); }

double Millis(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// The peak resident set (VmHWM) of process `pid`, in bytes.
std::size_t PeakRss(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoul(line.substr(6)) * 1024;
  }
  return 0;
}

// Posts `csv` to series `id`; returns the round trip in ms, or -1 on failure.
double Upload(int port, const std::string& id, const std::string& csv) {
  auto connection = RawConnection::Open(port);
  const std::string request =
      MakeRequest("POST", "/v1/series/" + id + "/points", {"Content-Type: text/csv"}, csv);
  const auto start = Clock::now();
  if (!connection || !connection->Send(request)) return -1;
  auto reply = connection->Read(std::chrono::seconds(120));
  if (!reply || reply->status != 200) {
    std::fprintf(stderr, "upload failed: %s\n", reply ? reply->body.c_str() : "no reply");
    return -1;
  }
  return Millis(Clock::now() - start);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s PATH_TO_PATCHCAST\n", argv[0]);
    return 2;
  }
  ::signal(SIGPIPE, SIG_IGN);
  const std::string binary = argv[1];
  const fs::path dir =
      fs::temp_directory_path() / ("patchcast-ingest-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::printf("machine: %s\n\n", patchcast::bench::MachineDescription().c_str());

  constexpr std::size_t kYear = 525'600;
  const std::string csv = patchcast::bench::MinuteLoginsCsv(kYear, kNov1 - 60LL * kYear);
  const fs::path csv_file = dir / "year.csv";
  std::ofstream(csv_file, std::ios::binary) << csv;

  // 1. Ingest through HTTP, three fresh databases, median.
  std::vector<double> ingest_ms;
  for (int run = 0; run < 3; ++run) {
    const fs::path db = dir / ("ingest-" + std::to_string(run) + ".db");
    Server server = StartServer(binary, db.string());
    ingest_ms.push_back(Upload(server.port, "login", csv));
    StopServer(server);
  }
  // The peer: sqlite3's CSV import into a plain two-column table, also durable (synchronous=FULL).
  std::vector<double> sqlite_ms;
  for (int run = 0; run < 3; ++run) {
    const fs::path db = dir / ("sqlite3-" + std::to_string(run) + ".db");
    const std::string command = "sqlite3 " + db.string() +
                                " 'PRAGMA journal_mode=WAL' 'PRAGMA synchronous=FULL' "
                                "'CREATE TABLE points(ts TEXT, value INTEGER)' '.mode csv' "
                                "'.import --skip 1 " +
                                csv_file.string() + " points' > /dev/null";
    const auto start = Clock::now();
    if (std::system(command.c_str()) != 0) {
      sqlite_ms.push_back(-1);
      continue;
    }
    sqlite_ms.push_back(Millis(Clock::now() - start));
  }
  const double ours = Median(ingest_ms);
  const double peer = Median(sqlite_ms);
  std::printf("1. ingest 525,600 CSV rows (%.1f MB), median of 3\n", csv.size() / 1e6);
  std::printf("   %-44s %9.1f ms %12.0f points/s   (target >= 1,000,000)\n",
              "patchcast POST /v1/series/{id}/points", ours, kYear / (ours / 1000));
  std::printf("   %-44s %9.1f ms %12.0f points/s\n", "sqlite3 .import into (ts, value)", peer,
              kYear / (peer / 1000));
  std::printf("   ratio patchcast / sqlite3: %.2fx the rate\n\n", peer / ours);

  // 2. Read the year back through the storage API.
  {
    patchcast::storage::StoreOptions options;
    options.path = dir / "ingest-0.db";
    auto store = patchcast::storage::SqliteStore::Open(options);
    if (!store) {
      std::fprintf(stderr, "%s\n", store.error().message.c_str());
      return 1;
    }
    patchcast::storage::SqliteSeriesRepository repository((*store)->writes(), (*store)->readers());
    std::vector<double> read_ms;
    std::size_t present = 0;
    for (int run = 0; run < 15; ++run) {
      const auto start = Clock::now();
      auto year = repository.ReadRange(
          "login", std::chrono::sys_seconds{std::chrono::seconds{kNov1 - 60LL * kYear}},
          std::chrono::sys_seconds{std::chrono::seconds{kNov1}}, kYear);
      read_ms.push_back(Millis(Clock::now() - start));
      present =
          year ? static_cast<std::size_t>(std::count_if(year->values.begin(), year->values.end(),
                                                        [](double v) { return !std::isnan(v); }))
               : 0;
    }
    std::printf(
        "2. read the year through the storage API (%zu points): median %.2f ms, min %.2f ms"
        "   (target <= 20 ms)\n\n",
        present, Median(read_ms), *std::min_element(read_ms.begin(), read_ms.end()));
  }

  // 3. Downsampled query through HTTP, on one keep-alive connection.
  {
    Server server = StartServer(binary, (dir / "ingest-0.db").string());
    auto connection = RawConnection::Open(server.port);
    std::vector<double> query_ms;
    std::size_t points = 0;
    for (int run = 0; run < 20; ++run) {
      const auto start = Clock::now();
      connection->Send(MakeRequest("GET", "/v1/series/login/points?max_points=1000&agg=mean"));
      auto reply = connection->Read();
      query_ms.push_back(Millis(Clock::now() - start));
      if (reply)
        points =
            static_cast<std::size_t>(std::count(reply->body.begin(), reply->body.end(), '[')) - 1;
    }
    StopServer(server);
    std::printf(
        "3. GET the year downsampled to %zu points over HTTP: median %.2f ms, max %.2f ms"
        "   (target <= 50 ms)\n\n",
        points, Median(query_ms), *std::max_element(query_ms.begin(), query_ms.end()));
  }

  // 4. Peak memory while ingesting a 32 MiB body.
  {
    const std::size_t rows = ((32u << 20) - 64) / 26;  // 26-byte rows: just under 32 MiB
    std::string body =
        patchcast::bench::MinuteLoginsCsv(rows, kNov1 - 60LL * static_cast<std::int64_t>(rows));
    Server server = StartServer(binary, (dir / "memory.db").string());
    const std::size_t before = PeakRss(server.pid);
    const double ms = Upload(server.port, "big", body);
    const std::size_t after = PeakRss(server.pid);
    StopServer(server);
    std::printf(
        "4. ingest a %.1f MiB body (%zu rows) in %.0f ms: peak RSS %.1f -> %.1f MiB, "
        "growth %.2fx the body   (target <= 4x)\n",
        body.size() / 1048576.0, rows, ms, before / 1048576.0, after / 1048576.0,
        static_cast<double>(after - before) / static_cast<double>(body.size()));
  }
  fs::remove_all(dir);
  return 0;
}
