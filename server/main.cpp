// The composition root: the only place that builds the service's object graph.
#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <future>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "api/dispatcher.h"
#include "api/document_record_store.h"
#include "api/forecast_plan_job.h"
#include "api/plan_maker.h"
#include "api/record_mint.h"
#include "api/routes.h"
#include "api/series_settings.h"
#include "api/settings_schedule_store.h"
#include "api/timestamp_format.h"
#include "forecasting/calendar_catalog.h"
#include "forecasting/forecast_accounting.h"
#include "forecasting/forecast_service.h"
#include "forecasting/surge_watcher.h"
#include "server/api_keys.h"
#include "server/config.h"
#include "server/demo_data.h"
#include "server/forecast_command.h"
#include "server/http_server.h"
#include "server/keys_command.h"
#include "server/logger.h"
#include "server/memory_release.h"
#include "server/metrics.h"
#include "server/migrate_db_command.h"
#include "server/plan_command.h"
#include "server/random_ids.h"
#include "server/scheduler.h"
#include "server/storage_engine.h"
#include "server/system_clock.h"
#include "server/version.h"
#include "server/work_slots.h"

namespace patchcast::server {
namespace {

constexpr const char* kHelp =
    "Usage: patchcast COMMAND [OPTIONS]\n\n"
    "Forecasts the login surges that follow Patch Tuesday reboots and recommends pre-scaling.\n\n"
    "Commands:\n"
    "  serve      run the HTTP service (patchcast serve --help)\n"
    "  keys new   make an API key (patchcast keys --help)\n"
    "  forecast   forecast a series, or all, and store it (patchcast forecast --help)\n"
    "  plan       plan a series' capacity, or all, and store it (patchcast plan --help)\n"
    "  backtest   score replayed forecasts of a series (patchcast backtest --help)\n"
    "  migrate-db copy a database into a new one, e.g. SQLite to PostgreSQL (patchcast migrate-db\n"
    "             --help)\n"
    "  version    print the version\n";

// Blocks the shutdown signals in the calling thread and every thread it starts afterwards, so that
// only the main thread's sigwait sees them.
sigset_t BlockShutdownSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR1);  // raised by the serving thread if it stops on its own
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not kill the process
  return signals;
}

int Fail(Logger& logger, const std::string& message) {
  logger.Log(LogLevel::kError, message);
  return 1;
}

// Everything built on one database, for `serve` and the offline commands. Members are declared in
// build order, so they are destroyed in reverse and the storage closes last. `clock` must outlive
// it.
struct Domain {
  StorageEngine storage;
  std::unique_ptr<forecasting::CalendarCatalog> calendars;
  std::unique_ptr<api::SeriesSettings> settings;
  std::unique_ptr<forecasting::ForecastService> forecast_service;
  std::unique_ptr<api::DocumentForecastStore> forecast_store;
  std::unique_ptr<api::DocumentPlanStore> plan_store;
  std::unique_ptr<forecasting::PlanningService> planning;
  std::unique_ptr<api::RecordMint> mint;
  std::unique_ptr<api::PlanMaker> plan_maker;
  std::unique_ptr<api::SettingsScheduleStore> schedules;
  std::unique_ptr<api::ForecastPlanJob> job;
  std::unique_ptr<forecasting::ForecastAccounting> accounting;
  std::unique_ptr<forecasting::SurgeWatcher> surge_watcher;
};

Result<Domain> OpenDomain(const StorageEngineOptions& options, const Clock& clock) {
  Domain domain;
  auto storage = OpenStorageEngine(options);
  if (!storage) return storage.error();
  domain.storage = std::move(*storage);
  StorageEngine& stored = domain.storage;
  auto calendars = forecasting::CalendarCatalog::Open(*stored.calendars, RandomIds("ovr-", 12));
  if (!calendars) return calendars.error();
  domain.calendars = std::move(*calendars);
  domain.settings = std::make_unique<api::SeriesSettings>(*stored.settings);
  domain.forecast_service = std::make_unique<forecasting::ForecastService>(
      *stored.series, *domain.calendars, domain.settings.get());
  domain.forecast_store = std::make_unique<api::DocumentForecastStore>(*stored.forecasts);
  domain.plan_store = std::make_unique<api::DocumentPlanStore>(*stored.plans);
  domain.planning = std::make_unique<forecasting::PlanningService>(
      *domain.forecast_service, *domain.forecast_store, *domain.plan_store);
  domain.mint =
      std::make_unique<api::RecordMint>(clock, RandomIds("fc-", 16), RandomIds("plan-", 16));
  domain.plan_maker = std::make_unique<api::PlanMaker>(
      api::PlanMakerContext{*domain.planning, *domain.settings, *domain.mint});
  domain.schedules = std::make_unique<api::SettingsScheduleStore>(*stored.settings);
  domain.job = std::make_unique<api::ForecastPlanJob>(api::ForecastPlanJobContext{
      *domain.planning, *domain.settings, *domain.plan_maker, *domain.mint});
  domain.accounting = std::make_unique<forecasting::ForecastAccounting>(
      *domain.forecast_store, *stored.series, *stored.scorecards);
  domain.surge_watcher = std::make_unique<forecasting::SurgeWatcher>(
      forecasting::SurgeWatcherPorts{*domain.schedules, *stored.runs, *domain.forecast_store,
                                     *stored.series, *domain.calendars, *stored.surges});
  return domain;
}

// Reads the dashboard's chart library (--chartjs) once, at start-up. A missing or unreadable file
// is logged, not fatal: the API and /readyz do not need it, and the page says it draws no charts.
std::string LoadChartLibrary(const std::string& path, Logger& logger) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  if (file) text << file.rdbuf();
  if (!file || text.view().empty()) {
    logger.Log(LogLevel::kWarn,
               "chart library not readable; the dashboard draws no charts (install Debian's "
               "libjs-chart.js or pass --chartjs FILE)",
               {{"chartjs", path}});
    return {};
  }
  return std::move(text).str();
}

// Runs `forecast`, `backtest` or `plan`, on the database named by --db or PATCHCAST_DB unless
// given --url.
int RunOfflineCommand(const std::string& command, std::vector<std::string> args) {
  const Environment env = ReadProcessEnvironment();
  StorageEngineOptions options;
  options.db = env.count("PATCHCAST_DB") ? env.at("PATCHCAST_DB") : "var/patchcast.db";
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--db") {
      options.db = args[i + 1];
      args.erase(args.begin() + static_cast<std::ptrdiff_t>(i),
                 args.begin() + static_cast<std::ptrdiff_t>(i) + 2);
      break;
    }
  }
  SystemClock clock;
  std::optional<Domain> domain;
  std::optional<CommandContext> context;
  const auto open = [&]() -> CommandContext* {
    auto opened = OpenDomain(options, clock);
    if (!opened) {
      std::cerr << "patchcast " << command << ": " << opened.error().message << std::endl;
      return nullptr;
    }
    domain.emplace(std::move(*opened));
    context.emplace(CommandContext{*domain->storage.series, *domain->forecast_service,
                                   *domain->planning, *domain->settings, *domain->plan_maker,
                                   *domain->mint});
    return &*context;
  };
  const CommandIo io{env, open, std::cout, std::cerr};
  return command == "plan" ? RunPlanCommand(args, io) : RunForecastCommand(command, args, io);
}

int RunServe(std::vector<std::string> args) {
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::fputs(ServeHelp().c_str(), stdout);
      return 0;
    }
  }
  const bool check_only = std::erase(args, "--check-config") > 0;
  auto parsed = ParseServeConfig(args, ReadProcessEnvironment());
  if (!parsed) {
    std::fprintf(stderr, "patchcast serve: %s\n", parsed.error().message.c_str());
    return 2;
  }
  const ServeConfig& config = *parsed;
  if (Status valid = ValidateServeConfig(config); !valid) {
    std::fprintf(stderr, "patchcast serve: %s\n", valid.error().message.c_str());
    return 2;
  }
  if (check_only) {
    std::fputs(DescribeServeConfig(config).c_str(), stdout);
    return 0;
  }

  LimitAllocatorRetention();  // before any thread starts
  const sigset_t signals = BlockShutdownSignals();
  SystemClock clock;
  Logger logger(clock, config.log_level);

  std::vector<KeyRecord> keys;
  if (!config.api_keys_file.empty()) {
    auto loaded = LoadKeysFile(config.api_keys_file);
    if (!loaded) return Fail(logger, loaded.error().message);
    if (loaded->empty())
      return Fail(logger, "keys file '" + config.api_keys_file + "' has no keys");
    keys = std::move(*loaded);
  }
  KeyStore key_store(std::move(keys));

  auto opened = OpenDomain({.db = config.db_path,
                            .busy_timeout_ms = config.busy_timeout_ms,
                            .backup_dir = config.backup_dir,
                            .pool_size = static_cast<std::size_t>(config.db_pool)},
                           clock);
  if (!opened) return Fail(logger, opened.error().message);
  std::optional<Domain> domain(std::move(*opened));
  if (config.demo) {
    const auto demo_end =
        config.demo_end.value_or(std::chrono::floor<std::chrono::hours>(clock.Now()));
    auto loaded = LoadDemoData(*domain->storage.series, *domain->calendars, demo_end);
    if (!loaded) return Fail(logger, "demo data: " + loaded.error().message);
    if (*loaded) {
      logger.Log(LogLevel::kInfo, "demo data loaded",
                 {{"series", kDemoSeriesId}, {"end", api::FormatRfc3339(demo_end)}});
    }
  }

  HttpMetrics http_metrics;
  StorageEngine& stored = domain->storage;
  SeriesGaugeCollector series_gauges(*stored.plans, *stored.forecasts, clock);
  WorkSlots heavy_work(
      config.heavy_slots > 0 ? static_cast<std::size_t>(config.heavy_slots) : DefaultWorkSlots(),
      std::chrono::milliseconds{config.heavy_wait_ms});
  MetricsExporter metrics(http_metrics, *stored.store, kVersion, &series_gauges, &heavy_work,
                          {stored.runs.get(), stored.scorecards.get(), stored.surges.get()});
  Scheduler scheduler({*domain->schedules, *stored.runs, *stored.series, *domain->calendars,
                       *domain->job, clock, &logger, domain->accounting.get(),
                       domain->surge_watcher.get(), stored.leases.get()});
  api::Router router;
  api::AddAllRoutes(
      router,
      {*stored.store,
       metrics,
       clock,
       *domain->calendars,
       *stored.series,
       *stored.settings,
       {*domain->forecast_service, *domain->planning, *stored.forecasts, *domain->mint},
       {*domain->forecast_service, *stored.plans, clock, *domain->settings, *domain->plan_maker},
       {*stored.series, *domain->schedules, *stored.runs, scheduler, *domain->calendars, clock},
       {*stored.series, *stored.scorecards, clock},
       {*stored.series, *stored.surges},
       kVersion,
       {std::chrono::seconds{config.max_future_seconds}},
       {LoadChartLibrary(config.chartjs_path, logger)}});
  api::ResponseCache response_cache;
  api::Dispatcher dispatcher(router, key_store,
                             {{config.max_body_bytes},
                              config.cors_origin,
                              &heavy_work,
                              &response_cache,
                              stored.data_version.get(),
                              &clock});
  HttpServer http(dispatcher, http_metrics, logger,
                  {.threads = config.threads,
                   .head_waiters = config.head_waiters,
                   .max_queue = config.max_queue,
                   .max_body_bytes = config.max_body_bytes,
                   .read_timeout_seconds = config.read_timeout_seconds,
                   .write_timeout_seconds = config.write_timeout_seconds,
                   .keep_alive_timeout_seconds = config.keep_alive_timeout_seconds,
                   .keep_alive_max_requests = config.keep_alive_max_requests,
                   .header_timeout_seconds = config.header_timeout_seconds,
                   .body_timeout_seconds = config.body_timeout_seconds});
  auto port = http.Bind(config.listen);
  if (!port) return Fail(logger, port.error().message);

  ListenAddress bound = config.listen;
  bound.port = *port;
  logger.Log(LogLevel::kInfo, "listening",
             {{"address", bound.ToString()},
              {"url", "http://" + bound.ToString() + "/"},
              {"database", stored.shown_name},
              {"authentication", key_store.enabled() ? "api keys" : "off (no keys file)"},
              {"keys", key_store.size()},
              {"version", kVersion}});

  scheduler.Start();
  std::promise<void> served;
  std::future<void> serving_done = served.get_future();
  std::thread serving([&] {
    http.Serve();
    served.set_value();
    ::kill(::getpid(), SIGUSR1);
  });

  int signal = 0;
  sigwait(&signals, &signal);
  logger.Log(LogLevel::kInfo, "shutting down",
             {{"signal", signal == SIGUSR1 ? "none (server stopped)" : strsignal(signal)},
              {"in_flight", http_metrics.in_flight()},
              {"timeout_seconds", config.shutdown_timeout_seconds}});
  http.Stop();
  scheduler.Stop();  // after the run in progress, if any
  if (serving_done.wait_for(std::chrono::seconds(config.shutdown_timeout_seconds)) !=
      std::future_status::ready) {
    // Acknowledged writes are already durable (committed: SQLite at synchronous=FULL, or
    // PostgreSQL), so leaving now loses nothing that was promised.
    logger.Log(LogLevel::kError, "shutdown timed out; exiting with requests still in flight",
               {{"in_flight", http_metrics.in_flight()}});
    std::_Exit(1);
  }
  serving.join();
  domain.reset();  // drains the writer and closes the database
  logger.Log(LogLevel::kInfo, "stopped");
  return signal == SIGUSR1 ? 1 : 0;
}

int Main(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fputs(kHelp, stderr);
    return 2;
  }
  const std::string& command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "serve") return RunServe(rest);
  if (command == "keys") return RunKeysCommand(rest);
  if (command == "migrate-db") return RunMigrateDbCommand(rest, std::cout, std::cerr);
  if (command == "forecast" || command == "backtest" || command == "plan") {
    return RunOfflineCommand(command, rest);
  }
  if (command == "version" || command == "--version") {
    std::printf("patchcast %s\n", kVersion);
    return 0;
  }
  if (command == "help" || command == "--help" || command == "-h") {
    std::fputs(kHelp, stdout);
    return 0;
  }
  std::fprintf(stderr, "patchcast: unknown command '%s'\n\n%s", command.c_str(), kHelp);
  return 2;
}

}  // namespace
}  // namespace patchcast::server

int main(int argc, char** argv) {
  return patchcast::server::Main(std::vector<std::string>(argv + 1, argv + argc));
}
