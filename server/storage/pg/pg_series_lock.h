// LockSeriesForWrite: before a row that refers to a series goes in, the series is locked against
// deletion (a key-share lock, which other writers of its rows share) until the transaction ends.
#pragma once

#include <pqxx/transaction_base>
#include <string>
#include <string_view>

#include "core/result.h"
#include "server/storage/series_rows.h"

namespace patchcast::storage::pg {

// Errors: kNotFound "series 'x' does not exist" (NoSuchSeries) when there is none.
inline Status LockSeriesForWrite(pqxx::transaction_base& transaction, std::string_view id) {
  if (transaction.exec_params("SELECT 1 FROM series WHERE id = $1 FOR KEY SHARE", std::string(id))
          .empty()) {
    return NoSuchSeries(id);
  }
  return {};
}

}  // namespace patchcast::storage::pg
