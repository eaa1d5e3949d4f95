// FromPg: the one place that turns a libpqxx exception into a patchcast::Error, and the rule for
// which failures are a lost connection worth one retry on a fresh one.
//
// libpqxx reports every failure by throwing; this module catches those at its public boundary, so
// callers above storage never see an exception or a SQLSTATE. Pure functions; thread-safe.
#pragma once

#include <exception>
#include <string>
#include <string_view>

#include "core/result.h"

namespace patchcast::storage::pg {

// Returns true when `exception` says the connection is gone while the transaction's outcome is
// known (it did not commit): pqxx::broken_connection, or SQLSTATE class 08 (connection exception)
// or 57P01..57P03 (the server is shutting down, crashed, or not accepting connections yet). Such a
// statement may be retried on a new connection. A loss during COMMIT (pqxx::in_doubt_error) is
// not: the write may or may not have happened.
bool IsConnectionLoss(const std::exception& exception);

// Returns the Error for `exception`, its message "<context>: <reason>", where `context` says what
// was being done ("read series 'x'"); the server's own text is kept in the reason:
//   a connection loss (IsConnectionLoss)          -> kUnavailable, "database connection lost"
//   pqxx::in_doubt_error                          -> kUnavailable, "the database connection was
//                                                    lost during commit; the write may or may not
//                                                    have been applied"
//   40001, 40P01 (serialization failure,
//   deadlock), 55P03 (lock not available), 57014 (statement timeout),
//   53xxx except 53100 (e.g. too many connections) -> kUnavailable
//   53100 (disk full)                              -> kInsufficientStorage
//   23xxx (integrity constraint)                   -> kConflict
//   anything else                                  -> kInternal
Error FromPg(const std::exception& exception, std::string_view context);

// Returns the exception's text on one line (libpq's messages end with, and may hold, newlines).
std::string OneLineReason(const std::exception& exception);

}  // namespace patchcast::storage::pg
