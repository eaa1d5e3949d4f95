#include "server/storage/pg/pg_error.h"

#include <pqxx/except>
#include <string>

namespace patchcast::storage::pg {
namespace {

// The SQLSTATE of `exception`, or "" when it carries none.
std::string_view SqlState(const std::exception& exception) {
  const auto* sql = dynamic_cast<const pqxx::sql_error*>(&exception);
  return sql ? std::string_view(sql->sqlstate()) : std::string_view();
}

bool IsTransient(std::string_view state) {
  return state == "40001" || state == "40P01" || state == "55P03" || state == "57014" ||
         (state.starts_with("53") && state != "53100");
}

}  // namespace

bool IsConnectionLoss(const std::exception& exception) {
  if (dynamic_cast<const pqxx::in_doubt_error*>(&exception)) return false;
  if (dynamic_cast<const pqxx::broken_connection*>(&exception)) return true;
  const std::string_view state = SqlState(exception);
  return state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03";
}

Error FromPg(const std::exception& exception, std::string_view context) {
  const std::string prefix = std::string(context) + ": ";
  const std::string reason = OneLineReason(exception);
  if (dynamic_cast<const pqxx::in_doubt_error*>(&exception)) {
    return Unavailable(prefix +
                       "the database connection was lost during commit; the write may or may "
                       "not have been applied (" +
                       reason + ")");
  }
  if (IsConnectionLoss(exception)) {
    return Unavailable(prefix + "database connection lost (" + reason + ")");
  }
  const std::string_view state = SqlState(exception);
  if (IsTransient(state)) return Unavailable(prefix + reason);
  if (state == "53100") return InsufficientStorage(prefix + "disk full (" + reason + ")");
  if (state.starts_with("23")) return Conflict(prefix + reason);
  return Internal(prefix + reason);
}

std::string OneLineReason(const std::exception& exception) {
  std::string line;
  for (const char* c = exception.what(); *c; ++c) line += *c == '\n' ? ' ' : *c;
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

}  // namespace patchcast::storage::pg
