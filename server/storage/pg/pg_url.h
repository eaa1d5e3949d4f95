// PostgreSQL database URLs: recognising one, hiding its password, and turning it into the libpq
// connection string the pool connects with.
//
// `--db` and PATCHCAST_DB name either a SQLite file or a PostgreSQL URL
// (postgresql://user[:password]@host[:port]/dbname[?param=value...], libpq's URI syntax,
// https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-CONNSTRING). A password may sit in
// the URL; otherwise libpq finds it in PGPASSWORD or ~/.pgpass when it connects. The URL is a
// secret as long as it may hold a password: only RedactPassword's result may be logged or shown.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace patchcast::storage::pg {

// Returns true when `text` starts with "postgresql://" or "postgres://" (libpq's two URI
// prefixes); anything else is a SQLite path.
bool IsPostgresUrl(std::string_view text);

// Returns `url` with every password in it replaced by "***": the one after "user:" in the
// authority and the value of each "password=" query parameter. Everything else is kept as written,
// so an operator recognises the URL. A URL without a password is returned unchanged.
std::string RedactPassword(std::string_view url);

// Parses `url` with libpq's own parser and returns the key=value connection string the pool
// connects with: the URL's settings, plus these defaults for what the URL leaves unset, so that a
// vanished server is an error within seconds rather than a hang:
//   connect_timeout=5, keepalives=1, keepalives_idle=30, keepalives_interval=10,
//   keepalives_count=3, tcp_user_timeout=30000 (ms), application_name=patchcast.
// The result holds the URL's password, if any: never log it.
// Errors: kInvalidArgument "database URL '<redacted url>': <libpq's reason>" when `url` is not a
// PostgreSQL URL or libpq refuses it.
Result<std::string> PgConnectionString(std::string_view url);

}  // namespace patchcast::storage::pg
