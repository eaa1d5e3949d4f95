#include "server/migrate_db_command.h"

#include <filesystem>
#include <optional>

#include "server/database_copy.h"
#include "server/storage/pg/pg_url.h"

namespace patchcast::server {
namespace {

constexpr const char* kMigrateDbHelp =
    "Usage: patchcast migrate-db --from DB --to DB\n\n"
    "Copies every custom calendar and override, series, point, setting, forecast, plan,\n"
    "scorecard, run and surge alert of one database into another, empty one, then reads both\n"
    "back and compares them. DB is an SQLite file or a postgresql:// URL (the password from the\n"
    "URL, PGPASSWORD or ~/.pgpass). Stop the services that write to the source first.\n\n"
    "  --from DB   the database to copy; an SQLite file must exist\n"
    "  --to DB     the database to fill; created if new, refused if it holds anything\n\n"
    "Example:\n"
    "  patchcast migrate-db --from var/patchcast.db --to postgresql://patchcast@db/patchcast\n";

struct MigrateDbLine {
  std::string from;
  std::string to;
};

// The options, or the usage error to print.
Result<MigrateDbLine> ParseArguments(const std::vector<std::string>& args) {
  MigrateDbLine line;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag != "--from" && flag != "--to") {
      return InvalidArgument("unknown option '" + flag + "'");
    }
    if (i + 1 >= args.size() || args[i + 1].empty()) {
      return InvalidArgument(flag + " needs a database");
    }
    (flag == "--from" ? line.from : line.to) = args[++i];
  }
  if (line.from.empty() || line.to.empty()) return InvalidArgument("give --from DB and --to DB");
  if (line.from == line.to) return InvalidArgument("--from and --to name the same database");
  return line;
}

// Opens one side, which the message calls `side` ("source", "target"). A source file must exist:
// opening an SQLite path creates it, and a mistyped path would copy an empty database.
std::optional<StorageEngine> Open(const std::string& db, const std::string& side,
                                  std::ostream& err) {
  if (side == "source" && !storage::pg::IsPostgresUrl(db) && !std::filesystem::exists(db)) {
    err << "patchcast migrate-db: the source " << db << " does not exist\n";
    return std::nullopt;
  }
  StorageEngineOptions options;
  options.db = db;
  options.pool_size = 2;
  auto engine = OpenStorageEngine(options);
  if (!engine) {
    err << "patchcast migrate-db: the " << side << ": " << engine.error().message << "\n";
    return std::nullopt;
  }
  return std::move(*engine);
}

void Report(const DatabaseCounts& counts, std::ostream& out) {
  out << "  calendars     " << counts.calendars << " (" << counts.overrides << " overrides)\n"
      << "  series        " << counts.series << " (" << counts.points << " points)\n"
      << "  settings      " << counts.settings << "\n"
      << "  forecasts     " << counts.forecasts << "\n"
      << "  plans         " << counts.plans << "\n"
      << "  scorecards    " << counts.scorecards << "\n"
      << "  runs          " << counts.runs << "\n"
      << "  surge alerts  " << counts.surge_alerts << "\n";
}

}  // namespace

int RunMigrateDbCommand(const std::vector<std::string>& args, std::ostream& out,
                        std::ostream& err) {
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") {
      out << kMigrateDbHelp;
      return 0;
    }
  }
  auto line = ParseArguments(args);
  if (!line) {
    err << "patchcast migrate-db: " << line.error().message << "\n\n" << kMigrateDbHelp;
    return 2;
  }
  std::optional<StorageEngine> from = Open(line->from, "source", err);
  if (!from) return 1;
  std::optional<StorageEngine> to = Open(line->to, "target", err);
  if (!to) return 1;
  auto copied = CopyDatabase(*from, *to);
  if (!copied) {
    err << "patchcast migrate-db: " << copied.error().message << "\n";
    return 1;
  }
  out << "copied " << from->shown_name << " to " << to->shown_name << ":\n";
  Report(*copied, out);
  if (Status same = VerifyCopy(*from, *to); !same) {
    err << "patchcast migrate-db: " << same.error().message << "\n";
    return 1;
  }
  out << "verified: the target holds what the source holds\n";
  return 0;
}

}  // namespace patchcast::server
