// Logger: one JSON object per line, the time, level and message first and the fields after them in
// name order; lines below the minimum level are dropped; FormatInstant writes RFC 3339 UTC with
// milliseconds.
#include "server/logger.h"

#include <date/date.h>
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>

#include "tests/server/file_text.h"
#include "tests/support/fake_services.h"

namespace patchcast::server {
namespace {

using namespace std::chrono_literals;

// What `logger` wrote to `file`, once everything logged is out.
std::string Written(Logger& logger, std::FILE* file) {
  logger.Flush();
  return ReadAll(file);
}

struct LoggerFixture {
  testing::FixedClock clock;
  std::FILE* file = std::tmpfile();
  ~LoggerFixture() { std::fclose(file); }
};

TEST_CASE("a line holds the time, level and message first, then the fields in name order") {
  LoggerFixture fixture;
  {
    Logger logger(fixture.clock, LogLevel::kInfo, fixture.file);
    logger.Log(LogLevel::kInfo, "request",
               {{"status", 200}, {"path", "/v1/series"}, {"duration_ms", 0.5}});
    CHECK(Written(logger, fixture.file) ==
          R"({"time":"2026-11-18T11:06:40.000Z","level":"info","msg":"request",)"
          R"("duration_ms":0.5,"path":"/v1/series","status":200})"
          "\n");
  }
}

TEST_CASE("fields named time, level or msg do not replace the line's own") {
  LoggerFixture fixture;
  Logger logger(fixture.clock, LogLevel::kInfo, fixture.file);
  logger.Log(LogLevel::kError, "failed", {{"msg", "other"}, {"level", "debug"}, {"id", "7"}});
  CHECK(Written(logger, fixture.file) ==
        R"({"time":"2026-11-18T11:06:40.000Z","level":"error","msg":"failed","id":"7"})"
        "\n");
}

TEST_CASE("quotes, control characters and invalid UTF-8 leave the line valid JSON") {
  LoggerFixture fixture;
  Logger logger(fixture.clock, LogLevel::kInfo, fixture.file);
  logger.Log(LogLevel::kWarn, "say \"hi\"\n", {{"path", std::string("/a\xff\x01")}});
  const std::string line = Written(logger, fixture.file);
  REQUIRE(line.ends_with("}\n"));
  const nlohmann::json parsed = nlohmann::json::parse(line);
  CHECK(parsed["msg"] == "say \"hi\"\n");
  CHECK(parsed["path"] == "/a\xef\xbf\xbd\x01");
  CHECK(parsed["level"] == "warn");
}

TEST_CASE("text and number fields are written in the order given, numbers as JSON numbers") {
  LoggerFixture fixture;
  Logger logger(fixture.clock, LogLevel::kInfo, fixture.file);
  const std::string path = "/v1/series";
  logger.LogFields(LogLevel::kInfo, "request",
                   {{"path", path},
                    {"status", 200},
                    {"bytes", std::size_t{457}},
                    {"duration_ms", 0.125},
                    {"key", ""},
                    {"level", "ignored"}});
  CHECK(Written(logger, fixture.file) ==
        R"({"time":"2026-11-18T11:06:40.000Z","level":"info","msg":"request",)"
        R"("path":"/v1/series","status":200,"bytes":457,"duration_ms":0.125,"key":""})"
        "\n");
}

static_assert(!std::is_constructible_v<LogField, std::string_view, bool>,
              "a bool is not silently logged as 0 or 1");

TEST_CASE("text fields with quotes or invalid UTF-8, and numbers JSON cannot hold, stay valid") {
  LoggerFixture fixture;
  Logger logger(fixture.clock, LogLevel::kInfo, fixture.file);
  const std::string odd = "a\"b\\c\xfe";
  logger.LogFields(LogLevel::kInfo, "request",
                   {{"path", odd}, {"ratio", std::numeric_limits<double>::infinity()}});
  const nlohmann::json parsed = nlohmann::json::parse(Written(logger, fixture.file));
  CHECK(parsed["path"] == "a\"b\\c\xef\xbf\xbd");
  CHECK(parsed["ratio"].is_null());
}

TEST_CASE("lines below the minimum level are not written") {
  LoggerFixture fixture;
  Logger logger(fixture.clock, LogLevel::kWarn, fixture.file);
  CHECK_FALSE(logger.Enabled(LogLevel::kInfo));
  logger.Log(LogLevel::kInfo, "quiet");
  logger.LogFields(LogLevel::kInfo, "quiet too", {{"status", 200}});
  logger.Log(LogLevel::kWarn, "loud");
  CHECK(Written(logger, fixture.file).find("quiet") == std::string::npos);
  CHECK(Written(logger, fixture.file).find(R"("msg":"loud")") != std::string::npos);
}

TEST_CASE("an instant is written in UTC with its milliseconds, every field zero-padded") {
  const Instant epoch{0ms};
  CHECK(FormatInstant(epoch) == "1970-01-01T00:00:00.000Z");
  const Instant instant = date::sys_days{date::year{2026} / 1 / 2} + 3h + 4min + 5s + 6ms;
  CHECK(FormatInstant(instant) == "2026-01-02T03:04:05.006Z");
  const Instant last = date::sys_days{date::year{2026} / 12 / 31} + 23h + 59min + 59s + 999ms;
  CHECK(FormatInstant(last) == "2026-12-31T23:59:59.999Z");
}

}  // namespace
}  // namespace patchcast::server
