#include "server/storage/pg/pg_url.h"

#include <doctest/doctest.h>

#include <string>

namespace patchcast::storage::pg {
namespace {

TEST_CASE("postgresql:// and postgres:// URLs select PostgreSQL; anything else is a SQLite path") {
  CHECK(IsPostgresUrl("postgresql://app@db:5432/patchcast"));
  CHECK(IsPostgresUrl("postgres://db/patchcast"));
  CHECK_FALSE(IsPostgresUrl("/var/lib/patchcast/patchcast.db"));
  CHECK_FALSE(IsPostgresUrl("postgresql.db"));
  CHECK_FALSE(IsPostgresUrl("POSTGRESQL://db/x"));  // libpq's prefixes are lower case
}

TEST_CASE("redaction hides every password in a URL and keeps the rest as written") {
  struct Row {
    const char* url;
    const char* redacted;
  };
  const Row rows[] = {
      {"postgresql://app:s3cret@db:5432/patchcast", "postgresql://app:***@db:5432/patchcast"},
      {"postgres://app:s3cret@db/patchcast?sslmode=require",
       "postgres://app:***@db/patchcast?sslmode=require"},
      {"postgresql://app@db/patchcast?password=s3cret&sslmode=require",
       "postgresql://app@db/patchcast?password=***&sslmode=require"},
      {"postgresql://app:a%40b@db/x?sslmode=require&password=c",
       "postgresql://app:***@db/x"
       "?sslmode=require&password=***"},
      // An '@' inside the password ends the userinfo at the last '@' of the authority.
      {"postgresql://app:p@ss@db/x", "postgresql://app:***@db/x"},
      {"postgresql://app:@db/x", "postgresql://app:***@db/x"},
      // No password: unchanged, even where a ':' follows the host or a '@' the path.
      {"postgresql://app@db:5432/patchcast", "postgresql://app@db:5432/patchcast"},
      {"postgresql://db:5432/user@example", "postgresql://db:5432/user@example"},
      {"postgresql:///patchcast?host=/run/postgresql",
       "postgresql:///patchcast?host=/run/postgresql"},
      {"/var/lib/patchcast/p.db", "/var/lib/patchcast/p.db"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.url);
    CHECK(RedactPassword(row.url) == row.redacted);
    CHECK(RedactPassword(row.url).find("s3cret") == std::string::npos);
  }
}

TEST_CASE("the connection string keeps the URL's settings and adds timeouts it leaves unset") {
  auto connection =
      PgConnectionString("postgresql://app:s3cret@db:6543/patchcast?connect_timeout=2");
  REQUIRE(connection);
  CHECK(connection->find("user='app'") != std::string::npos);
  CHECK(connection->find("password='s3cret'") != std::string::npos);
  CHECK(connection->find("host='db'") != std::string::npos);
  CHECK(connection->find("port='6543'") != std::string::npos);
  CHECK(connection->find("dbname='patchcast'") != std::string::npos);
  CHECK(connection->find("connect_timeout='2'") != std::string::npos);
  CHECK(connection->find("connect_timeout='5'") == std::string::npos);
  CHECK(connection->find("keepalives='1'") != std::string::npos);
  CHECK(connection->find("tcp_user_timeout='30000'") != std::string::npos);
  CHECK(connection->find("application_name='patchcast'") != std::string::npos);
}

TEST_CASE("connection string values are quoted, so a password cannot smuggle in settings") {
  auto connection = PgConnectionString("postgresql://app:it's%20a\\b@db/x");
  REQUIRE(connection);
  CHECK(connection->find(R"(password='it\'s a\\b')") != std::string::npos);
}

TEST_CASE("a URL libpq refuses is invalid input, named without its password") {
  auto refused = PgConnectionString("postgresql://app:s3cret@db/x?no_such_setting=1");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kInvalidArgument);
  CHECK(refused.error().message.starts_with("database URL 'postgresql://app:***@db/x"));
  CHECK(refused.error().message.find("no_such_setting") != std::string::npos);
  CHECK(refused.error().message.find("s3cret") == std::string::npos);
  CHECK(PgConnectionString("/var/lib/p.db").error().code == ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace patchcast::storage::pg
