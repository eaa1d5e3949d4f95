// `patchcast migrate-db`: its usage errors, a missing source that is not created, a non-empty
// target, and the report of a verified copy. (database_copy_test.cpp tests the copy itself, and
// tests/e2e/postgres_test.cpp the command on the real binary, into PostgreSQL.)
#include "server/migrate_db_command.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "server/storage_engine.h"
#include "tests/support/temp_dir.h"

namespace patchcast::server {
namespace {

using namespace std::chrono_literals;

struct Outcome {
  int status = 0;
  std::string out;
  std::string err;
};

Outcome Run(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  const int status = RunMigrateDbCommand(args, out, err);
  return {status, out.str(), err.str()};
}

// An SQLite database at `path` holding series `id` with two points.
void MakeDatabase(const std::filesystem::path& path, const std::string& id) {
  StorageEngineOptions options;
  options.db = path.string();
  auto engine = OpenStorageEngine(options);
  REQUIRE(engine);
  forecasting::SeriesMetadata series;
  series.id = id;
  series.step_seconds = 60s;
  const std::chrono::sys_seconds start{std::chrono::sys_days{std::chrono::year{2026} / 11 / 1}};
  REQUIRE(engine->series->WritePoints(series, {{{start, 1}, {start + 60s, 2}}},
                                      forecasting::OnConflict::kReject));
}

TEST_CASE("usage errors exit 2 and say what is wrong") {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{}, "give --from DB and --to DB"},
      {{"--from", "a.db"}, "give --from DB and --to DB"},
      {{"--from", "a.db", "--to"}, "--to needs a database"},
      {{"--from", "", "--to", "b.db"}, "--from needs a database"},
      {{"--from", "a.db", "--to", "a.db"}, "--from and --to name the same database"},
      {{"--from", "a.db", "--into", "b.db"}, "unknown option '--into'"},
  };
  for (const auto& usage_case : cases) {
    const std::vector<std::string>& args = usage_case.first;
    const std::string& message = usage_case.second;  // named, not bound: clang 14 cannot capture
    CAPTURE(message);
    const Outcome outcome = Run(args);
    CHECK(outcome.status == 2);
    CHECK(outcome.err.starts_with("patchcast migrate-db: " + message + "\n"));
    CHECK(outcome.err.find("Usage: patchcast migrate-db --from DB --to DB") != std::string::npos);
    CHECK(outcome.out.empty());
  }
}

TEST_CASE("--help prints the usage on stdout") {
  const Outcome outcome = Run({"--help"});
  CHECK(outcome.status == 0);
  CHECK(outcome.out.starts_with("Usage: patchcast migrate-db --from DB --to DB\n"));
}

TEST_CASE("a source file that does not exist is refused, not created") {
  testing::TempDir dir;
  const std::filesystem::path missing = dir / "typo.db";
  const Outcome outcome = Run({"--from", missing.string(), "--to", (dir / "b.db").string()});
  CHECK(outcome.status == 1);
  CHECK(outcome.err ==
        "patchcast migrate-db: the source " + missing.string() + " does not exist\n");
  CHECK_FALSE(std::filesystem::exists(missing));
  CHECK_FALSE(std::filesystem::exists(dir / "b.db"));
}

TEST_CASE("a copy reports what it copied and that it was verified") {
  testing::TempDir dir;
  MakeDatabase(dir / "a.db", "logins");
  const Outcome outcome = Run({"--from", (dir / "a.db").string(), "--to", (dir / "b.db").string()});
  CHECK_MESSAGE(outcome.status == 0, outcome.err);
  CHECK(outcome.out.starts_with("copied " + (dir / "a.db").string() + " to " +
                                (dir / "b.db").string() + ":\n"));
  CHECK(outcome.out.find("  series        1 (2 points)\n") != std::string::npos);
  CHECK(outcome.out.ends_with("verified: the target holds what the source holds\n"));
  CHECK(outcome.err.empty());
}

TEST_CASE("a target that holds data is refused with exit 1") {
  testing::TempDir dir;
  MakeDatabase(dir / "a.db", "logins");
  MakeDatabase(dir / "b.db", "other");
  const Outcome outcome = Run({"--from", (dir / "a.db").string(), "--to", (dir / "b.db").string()});
  CHECK(outcome.status == 1);
  CHECK(outcome.err ==
        "patchcast migrate-db: the target database is not empty: it holds series 'other'\n");
  CHECK(outcome.out.empty());
}

}  // namespace
}  // namespace patchcast::server
