// storage_engines_bench: issue 17, the service on SQLite and on PostgreSQL side by side in one run,
// the same steps on each engine, the real `patchcast serve` over HTTP:
//   1. Ingest a year of 1-minute points (525,600 CSV rows) through POST /v1/series/{id}/points
//      into a fresh database, median of 3 fresh databases (target on PostgreSQL: >= 1,000,000
//      points/s).
//   2. Read that year back through the storage API, no HTTP: SeriesRepository::ReadRange on the
//      repository server::OpenStorageEngine opens, median and worst of 15 reads (target on
//      PostgreSQL: <= 50 ms).
//   3. POST /v1/series/{id}/forecast (168 h) on that year, median and worst of 11 round trips.
//   4. GET /v1/series/{id}/plan/current, what KEDA polls, under wrk -t2 -c32 (10 s by default)
//      after a capacity model and a plan: req/s and p99.
// PostgreSQL is a cluster of the tests' fixture (tests/support/pg_cluster.h: Debian's initdb and
// pg_ctl, loopback TCP) with its default durability, every commit flushed, as SQLite's file is
// (WAL mode, synchronous=FULL); where PostgreSQL is not installed its column is skipped.
// Usage: storage_engines_bench PATH_TO_PATCHCAST [--seconds 10]
#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <pqxx/connection>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <string>
#include <vector>

#include "bench/bench_support.h"
#include "bench/wrk_load.h"
#include "server/storage_engine.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/raw_http.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using patchcast::bench::ChildServer;
using patchcast::bench::WrkFigures;
using patchcast::testing::HttpReply;
using patchcast::testing::MakeRequest;
using patchcast::testing::RawConnection;

constexpr std::int64_t kNov1 = 1'793'491'200;  // 2026-11-01T00:00:00Z, where the year ends
constexpr std::size_t kYearRows = 525'600;
constexpr std::int64_t kYearStart = kNov1 - 60 * static_cast<std::int64_t>(kYearRows);
constexpr const char* kSeries = "login";
constexpr int kIngestRuns = 3;
constexpr int kReadRuns = 15;
constexpr int kForecastRuns = 11;
constexpr double kTargetPointsPerSecond = 1'000'000;
constexpr double kTargetReadMs = 50;

struct Options {
  std::string patchcast;
  int wrk_seconds = 10;
};

// One engine: its name, and how to make a fresh database on it, given as the --db value.
struct Engine {
  std::string name;
  std::function<std::optional<std::string>(const std::string& database)> fresh_database;
};

struct Latencies {
  double median_ms = 0;
  double worst_ms = 0;
};

// What one engine measured; `failures` name the steps that failed or were skipped.
struct EngineFigures {
  std::string name;
  std::vector<std::string> failures;
  double ingest_ms = 0;  // median of kIngestRuns
  std::optional<Latencies> read;
  std::optional<Latencies> forecast;
  std::optional<WrkFigures> current_plan;
};

std::optional<Options> ParseOptions(int argc, char** argv) {
  if (argc != 2 && argc != 4) return std::nullopt;
  Options options{argv[1]};
  if (argc == 4) {
    if (std::string(argv[2]) != "--seconds") return std::nullopt;
    options.wrk_seconds = std::atoi(argv[3]);
  }
  return options;
}

double Millis(Clock::duration duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

Latencies Summarise(std::vector<double> millis) {
  std::sort(millis.begin(), millis.end());
  return Latencies{millis[millis.size() / 2], millis.back()};
}

// The server on `db`, its log written to a file of its own (a load test then spends no CPU of its
// own on the access log; the start reads the file for the address it listens on). Uploads reach a
// year back from the bench's fixed end; --max-future lets the year lie ahead of the wall clock as
// well.
ChildServer StartServer(const Options& options, const std::string& db, const fs::path& log) {
  return patchcast::bench::StartPatchcastLoggingTo(options.patchcast, db, log.string(),
                                                   {"--max-future", "31622400"});
}

std::string SeriesPath(const std::string& rest) {
  return "/v1/series/" + std::string(kSeries) + rest;
}

bool Succeeded(const std::optional<HttpReply>& reply, const char* what) {
  if (reply && reply->status == 200) return true;
  std::fprintf(stderr, "%s failed: %s\n", what, reply ? reply->body.c_str() : "no reply");
  return false;
}

// Posts the year's CSV; returns the round trip in ms, nullopt on failure.
std::optional<double> UploadYear(int port, const std::string& csv) {
  auto connection = RawConnection::Open(port);
  if (!connection) return std::nullopt;
  const std::string request =
      MakeRequest("POST", SeriesPath("/points"), {"Content-Type: text/csv"}, csv);
  const auto start = Clock::now();
  if (!connection->Send(request)) return std::nullopt;
  const auto reply = connection->Read(std::chrono::seconds(120));
  const double millis = Millis(Clock::now() - start);
  if (!Succeeded(reply, "upload")) return std::nullopt;
  return millis;
}

// Step 1: ingests into kIngestRuns fresh databases, a server each; returns the median round
// trip and keeps the first database (for the steps that follow) in `kept_db`.
std::optional<double> MeasureIngest(const Options& options, const Engine& engine,
                                    const std::string& csv, const fs::path& logs,
                                    std::string& kept_db) {
  std::vector<double> millis;
  for (int run = 0; run < kIngestRuns; ++run) {
    const std::string database = "ingest_" + std::to_string(run);
    const auto db = engine.fresh_database(database);
    if (!db) return std::nullopt;
    const ChildServer server = StartServer(options, *db, logs / (database + ".log"));
    const auto upload = server.port != 0 ? UploadYear(server.port, csv) : std::nullopt;
    patchcast::bench::StopPatchcast(server);
    if (!upload) return std::nullopt;
    millis.push_back(*upload);
    if (run == 0) kept_db = *db;
  }
  return Summarise(millis).median_ms;
}

// Step 2: ReadRange of the whole year on the engine's own repository, in this process. One read
// first, untimed, opens the pool's connection and checks that every point came back.
std::optional<Latencies> MeasureReads(const std::string& db) {
  patchcast::server::StorageEngineOptions engine_options;
  engine_options.db = db;
  auto engine = patchcast::server::OpenStorageEngine(engine_options);
  if (!engine) {
    std::fprintf(stderr, "opening %s failed: %s\n", db.c_str(), engine.error().message.c_str());
    return std::nullopt;
  }
  const patchcast::forecasting::SeriesRepository& series = *engine->series;
  const auto read_year = [&] {
    return series.ReadRange(kSeries, std::chrono::sys_seconds{std::chrono::seconds{kYearStart}},
                            std::chrono::sys_seconds{std::chrono::seconds{kNov1}}, kYearRows);
  };
  const auto year = read_year();
  const auto present = year ? std::count_if(year->values.begin(), year->values.end(),
                                            [](double value) { return !std::isnan(value); })
                            : 0;
  if (static_cast<std::size_t>(present) != kYearRows) {
    std::fprintf(stderr, "the year read back holds %td points, not %zu: %s\n", present, kYearRows,
                 year ? "" : year.error().message.c_str());
    return std::nullopt;
  }
  std::vector<double> millis;
  for (int run = 0; run < kReadRuns; ++run) {
    const auto start = Clock::now();
    const auto again = read_year();
    millis.push_back(Millis(Clock::now() - start));
    if (!again) {
      std::fprintf(stderr, "reading the year failed: %s\n", again.error().message.c_str());
      return std::nullopt;
    }
  }
  return Summarise(millis);
}

// Step 3: the forecast's round trip on one keep-alive connection.
std::optional<Latencies> MeasureForecasts(int port) {
  auto connection = RawConnection::Open(port);
  if (!connection) return std::nullopt;
  const std::string request =
      MakeRequest("POST", SeriesPath("/forecast"), {"Content-Type: application/json"},
                  R"({"horizon_hours":168})");
  std::vector<double> millis;
  for (int run = 0; run < kForecastRuns; ++run) {
    const auto start = Clock::now();
    if (!connection->Send(request)) return std::nullopt;
    const auto reply = connection->Read(std::chrono::seconds(60));
    millis.push_back(Millis(Clock::now() - start));
    if (!Succeeded(reply, "forecast")) return std::nullopt;
  }
  return Summarise(millis);
}

// A capacity model (the README's) and a plan over it, so that plan/current has one to answer.
bool MakePlan(int port) {
  const auto json_call = [port](const char* method, const std::string& target, const char* body) {
    return patchcast::testing::Exchange(
        port, MakeRequest(method, target, {"Content-Type: application/json"}, body));
  };
  return Succeeded(json_call("PUT", SeriesPath("/capacity-model"),
                             R"({"unit_capacity":5,"headroom":0.2,"max_units":60,)"
                             R"("lead_time_minutes":15,"unit_cost_per_hour":0.1})"),
                   "capacity model") &&
         Succeeded(json_call("POST", SeriesPath("/plan"), R"({"horizon_hours":168})"), "plan");
}

// Step 4: plan/current under wrk's keep-alive load.
std::optional<WrkFigures> MeasureCurrentPlan(const Options& options, int port) {
  if (!patchcast::bench::HaveWrk()) {
    std::fprintf(stderr, "no wrk on the PATH (apt-get install -y wrk): step 4 skipped\n");
    return std::nullopt;
  }
  if (!MakePlan(port)) return std::nullopt;
  const patchcast::bench::WrkLoad load{2, 32, options.wrk_seconds, {}};
  return patchcast::bench::RunWrk(
      "http://127.0.0.1:" + std::to_string(port) + SeriesPath("/plan/current"), load);
}

// The four steps on one engine. Without an ingested year there is nothing to measure, so a failed
// ingest ends the engine's run; a later step's failure is noted and the others still run.
EngineFigures MeasureEngine(const Options& options, const Engine& engine, const std::string& csv,
                            const fs::path& dir) {
  EngineFigures figures;
  figures.name = engine.name;
  const fs::path logs = dir / (engine.name + "-logs");
  fs::create_directories(logs);
  std::fprintf(stderr, "%s: ingesting...\n", engine.name.c_str());
  std::string db;
  const auto ingest_ms = MeasureIngest(options, engine, csv, logs, db);
  if (!ingest_ms) {
    figures.failures.push_back("1. ingest failed (logs: " + logs.string() + ")");
    return figures;
  }
  figures.ingest_ms = *ingest_ms;
  std::fprintf(stderr, "%s: reading...\n", engine.name.c_str());
  figures.read = MeasureReads(db);
  if (!figures.read) figures.failures.push_back("2. the read failed (see above)");
  std::fprintf(stderr, "%s: forecasting and polling...\n", engine.name.c_str());
  const fs::path serve_log = logs / "serve.log";
  const ChildServer server = StartServer(options, db, serve_log);
  if (server.port == 0) {
    figures.failures.push_back("3., 4. the server did not start (log: " + serve_log.string() + ")");
  } else {
    figures.forecast = MeasureForecasts(server.port);
    if (!figures.forecast) figures.failures.push_back("3. the forecast failed (see above)");
    figures.current_plan = MeasureCurrentPlan(options, server.port);
    if (!figures.current_plan) {
      figures.failures.push_back("4. no plan, or no wrk (see above; log: " + serve_log.string() +
                                 ")");
    }
  }
  patchcast::bench::StopPatchcast(server);
  return figures;
}

// A throwaway PostgreSQL cluster: each fresh database is created in it over libpqxx.
Engine PostgresEngine(const patchcast::testing::PgCluster& cluster) {
  return Engine{
      "PostgreSQL", [&cluster](const std::string& database) -> std::optional<std::string> {
        try {
          pqxx::connection admin(cluster.Url("postgres"));
          // FILE_COPY: a copy of the empty template's files, the quickest way there.
          pqxx::nontransaction(admin).exec("CREATE DATABASE " + database + " STRATEGY FILE_COPY");
        } catch (const pqxx::failure& error) {
          std::fprintf(stderr, "CREATE DATABASE %s failed: %s\n", database.c_str(), error.what());
          return std::nullopt;
        }
        return cluster.Url(database);
      }};
}

Engine SqliteEngine(const fs::path& dir) {
  return Engine{"SQLite", [dir](const std::string& database) -> std::optional<std::string> {
                  return (dir / (database + ".db")).string();
                }};
}

std::string PostgresVersion(const patchcast::testing::PgCluster& cluster) {
  try {
    pqxx::connection admin(cluster.Url("postgres"));
    return pqxx::nontransaction(admin).exec1("SHOW server_version")[0].as<std::string>();
  } catch (const pqxx::failure& error) {
    return std::string("unknown (") + error.what() + ")";
  }
}

// The machine's memory from /proc/meminfo, in GiB (0 when it cannot be read).
double TotalMemoryGiB() {
  std::ifstream meminfo("/proc/meminfo");
  std::string name;
  double kib = 0;
  while (meminfo >> name >> kib) {
    if (name == "MemTotal:") return kib / (1024.0 * 1024.0);
    meminfo.ignore(256, '\n');
  }
  return 0;
}

// Other work on the machine moves both engines' figures, so the output says how busy it was.
std::string LoadAverage() {
  std::ifstream file("/proc/loadavg");
  std::string one, five, fifteen;
  file >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

// `count` rounded, its thousands separated by commas: "1,267,136".
std::string Grouped(double count) {
  const std::string digits = std::to_string(std::llround(count));
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return grouped;
}

std::string Format(const char* format, double a, double b = 0) {
  char text[96];
  std::snprintf(text, sizeof text, format, a, b);
  return text;
}

double PointsPerSecond(const EngineFigures& figures) {
  return figures.ingest_ms > 0 ? static_cast<double>(kYearRows) / (figures.ingest_ms / 1000) : 0;
}

std::string IngestCell(const EngineFigures& figures) {
  if (figures.ingest_ms <= 0) return "-";
  return Grouped(PointsPerSecond(figures)) + Format(" points/s (%.0f ms)", figures.ingest_ms);
}

std::string LatencyCell(const std::optional<Latencies>& latencies) {
  return latencies ? Format("%.2f / %.2f ms", latencies->median_ms, latencies->worst_ms) : "-";
}

std::string LoadCell(const std::optional<WrkFigures>& figures) {
  if (!figures) return "-";
  if (!figures->ok) return "wrk failed";
  std::string cell =
      Grouped(figures->requests_per_second) + Format(" req/s, p99 %.2f ms", figures->p99_ms);
  if (const long long errors = figures->bad_responses + figures->socket_errors; errors > 0) {
    cell += " (" + std::to_string(errors) + " errors)";
  }
  return cell;
}

const char* Verdict(bool measured, bool met) {
  return !measured ? "not measured" : met ? "yes" : "no";
}

void PrintTable(const std::vector<EngineFigures>& engines) {
  std::printf("\n| step |");
  for (const EngineFigures& engine : engines) std::printf(" %s |", engine.name.c_str());
  std::printf("\n|---|");
  for (std::size_t i = 0; i < engines.size(); ++i) std::printf("---|");
  const auto row = [&](const char* label,
                       const std::function<std::string(const EngineFigures&)>& cell) {
    std::printf("\n| %s |", label);
    for (const EngineFigures& engine : engines) std::printf(" %s |", cell(engine).c_str());
  };
  row("1. ingest 525,600 CSV rows over HTTP, median of 3", IngestCell);
  row("2. ReadRange of the year, median / worst of 15",
      [](const EngineFigures& e) { return LatencyCell(e.read); });
  row("3. POST forecast 168 h, median / worst of 11",
      [](const EngineFigures& e) { return LatencyCell(e.forecast); });
  row("4. GET plan/current, wrk -t2 -c32",
      [](const EngineFigures& e) { return LoadCell(e.current_plan); });
  std::printf("\n\n");
  for (const EngineFigures& engine : engines) {
    for (const std::string& failure : engine.failures) {
      std::printf("%s: %s\n", engine.name.c_str(), failure.c_str());
    }
    if (engine.current_plan && !engine.current_plan->ok) {
      std::printf("%s, wrk's report:\n%s\n", engine.name.c_str(),
                  engine.current_plan->report.c_str());
    }
  }
}

void PrintTargets(const EngineFigures& postgres) {
  std::printf("targets on PostgreSQL:\n");
  std::printf("  ingest >= 1,000,000 points/s: %s\n",
              Verdict(postgres.ingest_ms > 0, PointsPerSecond(postgres) >= kTargetPointsPerSecond));
  std::printf("  read of the year <= 50 ms: median %s, worst %s\n",
              Verdict(postgres.read.has_value(),
                      postgres.read && postgres.read->median_ms <= kTargetReadMs),
              Verdict(postgres.read.has_value(),
                      postgres.read && postgres.read->worst_ms <= kTargetReadMs));
}

}  // namespace

int main(int argc, char** argv) {
  const auto options = ParseOptions(argc, argv);
  if (!options || options->wrk_seconds <= 0) {
    std::fprintf(stderr, "usage: %s PATH_TO_PATCHCAST [--seconds 10]\n", argv[0]);
    return 2;
  }
  ::signal(SIGPIPE, SIG_IGN);
  const fs::path dir =
      fs::temp_directory_path() / ("patchcast-engines-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::printf("machine: %s, %.1f GiB of memory\n", patchcast::bench::MachineDescription().c_str(),
              TotalMemoryGiB());
  std::printf("SQLite %s: the service's file in WAL mode, synchronous=FULL, under %s\n",
              sqlite3_libversion(), dir.c_str());

  std::vector<EngineFigures> engines;
  const std::string csv = patchcast::bench::MinuteLoginsCsv(kYearRows, kYearStart);
  std::printf("load average before: %s\n", LoadAverage().c_str());
  std::fflush(stdout);  // before the progress lines on stderr
  engines.push_back(MeasureEngine(*options, SqliteEngine(dir), csv, dir));

  std::string failure;
  const auto cluster = patchcast::testing::PgCluster::Start(
      &failure, patchcast::testing::PgCluster::Durability::kDurable);
  if (cluster) {
    std::printf(
        "PostgreSQL %s: a cluster of tests/support/pg_cluster.h on loopback TCP, under %s, "
        "fsync on (every commit flushed, as SQLite's); the service's default --db-pool 8\n",
        PostgresVersion(*cluster).c_str(), cluster->dir().c_str());
    std::fflush(stdout);
    engines.push_back(MeasureEngine(*options, PostgresEngine(*cluster), csv, dir));
  } else {
    std::printf("PostgreSQL column skipped: %s\n", failure.c_str());
  }
  std::printf("load average after: %s\n", LoadAverage().c_str());

  PrintTable(engines);
  if (cluster) PrintTargets(engines.back());
  const bool all_ran = std::all_of(engines.begin(), engines.end(),
                                   [](const EngineFigures& e) { return e.failures.empty(); });
  if (all_ran) fs::remove_all(dir);
  return all_ran ? 0 : 1;
}
