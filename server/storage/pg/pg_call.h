// RunOnPool: runs one unit of database work on a pooled connection, retried once on a fresh
// connection when the first one turns out to be lost.
//
// Every PostgreSQL repository method is one such call, so every one of them answers a lost
// connection the same way: retried once (the server may have restarted, or a backend been
// terminated), else kUnavailable, which the API answers with 503 and Retry-After. Thread-safe as
// the pool is.
#pragma once

#include <exception>
#include <pqxx/connection>
#include <pqxx/except>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/result.h"
#include "server/storage/pg/pg_error.h"
#include "server/storage/pg/pg_pool.h"

namespace patchcast::storage::pg {

// Calls `work(pqxx::connection&)`, which returns a Result, on a connection borrowed from `pool`,
// and returns what it returns. When `work` throws a connection loss (IsConnectionLoss), the
// connection is discarded and `work` is called once more on a new one. Errors:
//   the pool's kUnavailable, prefixed "<context>: ", when no connection can be borrowed;
//   FromPg(e, context) for a second loss or for any other exception `work` throws (kInternal
//   for libpqxx's conversion and usage errors).
// Precondition: `work` is safe to call twice; it runs its own transaction, which a lost
// connection rolled back, and resets whatever it reports (counts, flags) when it starts.
template <typename Work>
auto RunOnPool(PgPool& pool, std::string_view context, Work&& work)
    -> std::invoke_result_t<Work&, pqxx::connection&> {
  for (int attempt = 1;; ++attempt) {
    auto lease = pool.Borrow();
    if (!lease) {
      Error error = lease.error();
      error.message = std::string(context) + ": " + error.message;
      return error;
    }
    try {
      return work(**lease);
    } catch (const pqxx::failure& e) {
      const bool lost = IsConnectionLoss(e);
      if (lost) lease->Discard();
      if (!lost || attempt == 2) return FromPg(e, context);
    } catch (const std::exception& e) {
      return FromPg(e, context);  // a conversion or usage error: a bug or damaged data
    }
  }
}

}  // namespace patchcast::storage::pg
