#include "server/storage/pg/pg_url.h"

#include <libpq-fe.h>

#include <array>
#include <memory>
#include <utility>

namespace patchcast::storage::pg {
namespace {

constexpr std::string_view kRedacted = "***";

constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kDefaults = {{
    {"connect_timeout", "5"},
    {"keepalives", "1"},
    {"keepalives_idle", "30"},
    {"keepalives_interval", "10"},
    {"keepalives_count", "3"},
    {"tcp_user_timeout", "30000"},
    {"application_name", "patchcast"},
}};

// Replaces the password in the authority ("scheme://user:password@host..."). The authority ends
// at the first '/', '?' or '#'; its userinfo at the last '@' within it.
void RedactAuthority(std::string& url, std::size_t authority_start) {
  const std::size_t authority_end = std::min(url.find_first_of("/?#", authority_start), url.size());
  const std::size_t at = url.rfind('@', authority_end);
  if (at == std::string::npos || at < authority_start) return;
  const std::size_t colon = url.find(':', authority_start);
  if (colon == std::string::npos || colon > at) return;
  url.replace(colon + 1, at - colon - 1, kRedacted);
}

// Replaces the value of every "password=" parameter of the query string.
void RedactQuery(std::string& url) {
  std::size_t position = url.find('?');
  while (position != std::string::npos && position < url.size()) {
    const std::size_t start = position + 1;
    const std::size_t end = std::min(url.find_first_of("&#", start), url.size());
    constexpr std::string_view kKey = "password=";
    if (std::string_view(url).substr(start, end - start).starts_with(kKey)) {
      url.replace(start + kKey.size(), end - start - kKey.size(), kRedacted);
    }
    position = url.find('&', start);
  }
}

// Quotes a conninfo value: single quotes, with backslash and quote escaped (libpq's rules).
std::string Quoted(std::string_view value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

struct OptionsFree {
  void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};

}  // namespace

bool IsPostgresUrl(std::string_view text) {
  return text.starts_with("postgresql://") || text.starts_with("postgres://");
}

std::string RedactPassword(std::string_view url) {
  std::string redacted(url);
  const std::size_t scheme_end = redacted.find("://");
  if (scheme_end == std::string::npos) return redacted;
  RedactAuthority(redacted, scheme_end + 3);
  RedactQuery(redacted);
  return redacted;
}

Result<std::string> PgConnectionString(std::string_view url) {
  const auto refused = [&](std::string_view reason) {
    return InvalidArgument("database URL '" + RedactPassword(url) + "': " + std::string(reason));
  };
  if (!IsPostgresUrl(url)) return refused("not a postgresql:// or postgres:// URL");
  char* raw_error = nullptr;
  std::unique_ptr<PQconninfoOption, OptionsFree> options(
      PQconninfoParse(std::string(url).c_str(), &raw_error));
  if (!options) {
    std::string reason = raw_error ? raw_error : "libpq cannot parse it (out of memory?)";
    PQfreemem(raw_error);
    while (!reason.empty() && reason.back() == '\n') reason.pop_back();
    return refused(reason);
  }
  std::string connection;
  const auto append = [&](std::string_view key, std::string_view value) {
    if (!connection.empty()) connection += ' ';
    connection += std::string(key) + "=" + Quoted(value);
  };
  for (const PQconninfoOption* option = options.get(); option->keyword; ++option) {
    if (option->val) append(option->keyword, option->val);
  }
  for (const auto& [key, value] : kDefaults) {
    bool set = false;
    for (const PQconninfoOption* option = options.get(); option->keyword; ++option) {
      set |= option->val && key == option->keyword;
    }
    if (!set) append(key, value);
  }
  return connection;
}

}  // namespace patchcast::storage::pg
