#include "server/config.h"

#include <date/date.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>

namespace patchcast::server {
namespace {

TEST_CASE("defaults are the documented ones") {
  auto config = ParseServeConfig({}, {});
  REQUIRE(config);
  CHECK(config->listen.ToString() == "127.0.0.1:8080");
  CHECK(config->db_path == "var/patchcast.db");
  CHECK(config->max_body_bytes == 32u << 20);
  CHECK(config->threads == 16);
  CHECK(config->cors_origin.empty());
  CHECK(config->log_level == LogLevel::kInfo);
  CHECK_FALSE(config->insecure);
}

TEST_CASE("flags win over environment variables, which win over defaults") {
  Environment env = {{"PATCHCAST_LISTEN", "127.0.0.1:9000"}, {"PATCHCAST_THREADS", "4"}};
  auto config = ParseServeConfig({"--threads", "8", "--db=/tmp/x.db"}, env);
  REQUIRE(config);
  CHECK(config->listen.port == 9000);
  CHECK(config->threads == 8);
  CHECK(config->db_path == "/tmp/x.db");
}

TEST_CASE("errors name the flag or variable and the value") {
  auto check_error = [](std::vector<std::string> args, Environment env, std::string expected) {
    auto config = ParseServeConfig(args, env);
    REQUIRE_FALSE(config);
    CHECK_MESSAGE(config.error().message.find(expected) != std::string::npos,
                  config.error().message);
  };
  check_error({"--threads", "zero"}, {}, "--threads: 'zero' is not an integer");
  check_error({"--threads"}, {}, "--threads needs a value");
  check_error({"--nope"}, {}, "unknown option '--nope'");
  check_error({}, {{"PATCHCAST_MAX_BODY", "lots"}}, "PATCHCAST_MAX_BODY: 'lots'");
  check_error({"--log-level", "loud"}, {}, "--log-level: 'loud'");
  check_error({"--listen", "8080"}, {}, "is not HOST:PORT");
  check_error({"--listen", "127.0.0.1:70000"}, {}, "port");
}

TEST_CASE("listen addresses parse for IPv4, IPv6 and any-host forms") {
  CHECK(ParseListenAddress("0.0.0.0:80")->host == "0.0.0.0");
  CHECK(ParseListenAddress("[::1]:8080")->host == "::1");
  CHECK(ParseListenAddress("[::1]:8080")->ToString() == "[::1]:8080");
  CHECK(ParseListenAddress(":8080")->host == "0.0.0.0");
  CHECK_FALSE(ParseListenAddress("::1:8080"));
  CHECK_FALSE(ParseListenAddress("host:"));
}

TEST_CASE("loopback is 127.0.0.0/8, ::1 and localhost") {
  CHECK(ParseListenAddress("127.0.0.1:1")->IsLoopback());
  CHECK(ParseListenAddress("127.9.9.9:1")->IsLoopback());
  CHECK(ParseListenAddress("[::1]:1")->IsLoopback());
  CHECK(ParseListenAddress("localhost:1")->IsLoopback());
  CHECK_FALSE(ParseListenAddress("0.0.0.0:1")->IsLoopback());
  CHECK_FALSE(ParseListenAddress("10.0.0.1:1")->IsLoopback());
}

TEST_CASE("a non-loopback address needs a keys file or --insecure") {
  auto open = ParseServeConfig({"--listen", "0.0.0.0:8080"}, {});
  CHECK_FALSE(ValidateServeConfig(*open));
  CHECK(ValidateServeConfig(*ParseServeConfig({"--listen", "0.0.0.0:8080", "--insecure"}, {})));
  CHECK(ValidateServeConfig(
      *ParseServeConfig({"--listen", "0.0.0.0:8080", "--api-keys", "k.txt"}, {})));
  CHECK(ValidateServeConfig(*ParseServeConfig({}, {})));
}

TEST_CASE("byte sizes accept binary multiples") {
  CHECK(ParseByteSize("1048576").value() == 1048576);
  CHECK(ParseByteSize("64k").value() == 64 * 1024);
  CHECK(ParseByteSize("32MiB").value() == 32u << 20);
  CHECK(ParseByteSize("1G").value() == 1u << 30);
  CHECK_FALSE(ParseByteSize("0"));
  CHECK_FALSE(ParseByteSize("12 MB"));
  CHECK_FALSE(ParseByteSize("-5"));
  CHECK_FALSE(ParseByteSize("999999G"));
}

TEST_CASE("help lists every flag") {
  const std::string help = ServeHelp();
  for (const char* flag :
       {"--listen", "--db", "--api-keys", "--threads", "--max-queue", "--max-body",
        "--read-timeout", "--write-timeout", "--keep-alive-timeout", "--keep-alive-max",
        "--shutdown-timeout", "--busy-timeout", "--cors-origin", "--log-level", "--insecure",
        "--demo", "--demo-end", "--check-config", "--chartjs"}) {
    CHECK_MESSAGE(help.find(flag) != std::string::npos, flag);
  }
  for (const char* flag : {"--heavy-slots", "--heavy-wait", "--header-timeout", "--body-timeout",
                           "--db-pool", "--head-waiters"}) {
    CHECK_MESSAGE(help.find(flag) != std::string::npos, flag);
  }
}

TEST_CASE("head waiters default to the hardware and are bounded") {
  auto defaults = ParseServeConfig({}, {});
  REQUIRE(defaults);
  CHECK(defaults->head_waiters == 0);  // HttpServer resolves 0 to one per hardware thread
  auto given = ParseServeConfig({"--head-waiters", "3"}, {{"PATCHCAST_HEAD_WAITERS", "8"}});
  REQUIRE(given);
  CHECK(given->head_waiters == 3);
  auto from_env = ParseServeConfig({}, {{"PATCHCAST_HEAD_WAITERS", "2"}});
  REQUIRE(from_env);
  CHECK(from_env->head_waiters == 2);
  auto too_many = ParseServeConfig({"--head-waiters", "257"}, {});
  REQUIRE_FALSE(too_many);
  CHECK(too_many.error().message == "--head-waiters: '257' is not an integer from 0 to 256");
}

TEST_CASE("heavy-work slots default to the hardware and are bounded like the other counts") {
  auto defaults = ParseServeConfig({}, {});
  REQUIRE(defaults);
  CHECK(defaults->heavy_slots == 0);  // main resolves 0 to one per hardware thread
  CHECK(defaults->heavy_wait_ms == 250);
  auto given = ParseServeConfig({"--heavy-slots", "3", "--heavy-wait=0"},
                                {{"PATCHCAST_HEAVY_SLOTS", "8"}, {"PATCHCAST_HEAVY_WAIT", "900"}});
  REQUIRE(given);
  CHECK(given->heavy_slots == 3);
  CHECK(given->heavy_wait_ms == 0);
  auto from_env = ParseServeConfig({}, {{"PATCHCAST_HEAVY_SLOTS", "8"}});
  REQUIRE(from_env);
  CHECK(from_env->heavy_slots == 8);
  auto negative = ParseServeConfig({"--heavy-slots", "-1"}, {});
  REQUIRE_FALSE(negative);
  CHECK(negative.error().message == "--heavy-slots: '-1' is not an integer from 0 to 1024");
  auto long_wait = ParseServeConfig({"--heavy-wait", "60001"}, {});
  REQUIRE_FALSE(long_wait);
  CHECK(long_wait.error().message == "--heavy-wait: '60001' is not an integer from 0 to 60000");
}

TEST_CASE("the demo's end is an RFC 3339 instant, given or left to start-up") {
  auto unset = ParseServeConfig({"--demo"}, {});
  REQUIRE(unset);
  CHECK(unset->demo);
  CHECK_FALSE(unset->demo_end.has_value());

  auto given = ParseServeConfig({"--demo-end", "2026-11-14T00:00:00Z"}, {});
  REQUIRE(given);
  const date::sys_days november_14{date::year{2026} / 11 / 14};
  CHECK(given->demo_end == november_14);
  auto from_env = ParseServeConfig({}, {{"PATCHCAST_DEMO_END", "2028-02-29T12:30:00Z"}});
  REQUIRE(from_env);
  const date::sys_days leap_day{date::year{2028} / 2 / 29};
  CHECK(from_env->demo_end == leap_day + std::chrono::minutes{12 * 60 + 30});

  auto invalid = ParseServeConfig({"--demo-end", "2026-02-30T00:00:00Z"}, {});
  REQUIRE_FALSE(invalid);
  CHECK_MESSAGE(invalid.error().message.starts_with("--demo-end: "), invalid.error().message);
  CHECK(invalid.error().message.find("2026-02-30T00:00:00Z") != std::string::npos);
}

TEST_CASE(
    "a PostgreSQL URL names a database too, with a bounded pool, described without a password") {
  auto defaults = ParseServeConfig({}, {});
  REQUIRE(defaults);
  CHECK(defaults->db_pool == 8);

  auto config = ParseServeConfig({"--db-pool", "3"},
                                 {{"PATCHCAST_DB", "postgresql://app:s3cret@db:5432/patchcast"}});
  REQUIRE(config);
  CHECK(config->db_path == "postgresql://app:s3cret@db:5432/patchcast");
  CHECK(config->db_pool == 3);
  const std::string described = DescribeServeConfig(*config);
  CHECK(described.find("db=postgresql://app:***@db:5432/patchcast\n") != std::string::npos);
  CHECK(described.find("db-pool=3\n") != std::string::npos);
  CHECK(described.find("s3cret") == std::string::npos);

  auto no_pool = ParseServeConfig({}, {{"PATCHCAST_DB_POOL", "0"}});
  REQUIRE_FALSE(no_pool);
  CHECK(no_pool.error().message == "PATCHCAST_DB_POOL: '0' is not an integer from 1 to 1000");
}

TEST_CASE("the described configuration is what flags and variables resolved to") {
  auto config = ParseServeConfig({"--listen=127.0.0.1:18080", "--demo-end", "2026-11-14T00:00:00Z"},
                                 {{"PATCHCAST_LISTEN", "127.0.0.1:9000"},
                                  {"PATCHCAST_DB", "/srv/patchcast.db"},
                                  {"PATCHCAST_DEMO", "1"}});
  REQUIRE(config);
  const std::string described = DescribeServeConfig(*config);
  for (const char* line : {"listen=127.0.0.1:18080\n", "db=/srv/patchcast.db\n", "demo=true\n",
                           "demo-end=2026-11-14T00:00:00Z\n", "threads=16\n", "max-body=33554432\n",
                           "log-level=info\n", "insecure=false\n", "api-keys=\n"}) {
    CHECK_MESSAGE(described.find(line) != std::string::npos, line << " in\n" << described);
  }
  // Every option of --help is described, one line each.
  std::istringstream help(ServeHelp());
  int options = 0;
  for (std::string line; std::getline(help, line);) {
    if (!line.starts_with("  --") || line.starts_with("  --help") ||
        line.starts_with("  --check-config")) {
      continue;
    }
    ++options;
    const std::string name = line.substr(4, line.find(' ', 4) - 4);
    const bool described_line =
        described.starts_with(name + "=") || described.find("\n" + name + "=") != std::string::npos;
    CHECK_MESSAGE(described_line, name);
  }
  CHECK(std::count(described.begin(), described.end(), '\n') == options);
}

}  // namespace
}  // namespace patchcast::server
