#include "server/pg_data_version.h"

#include <pqxx/nontransaction>

#include "server/storage/pg/pg_call.h"

namespace patchcast::server {

std::uint64_t PgDataVersion::Current() const {
  auto position = storage::pg::RunOnPool(
      pool_, "data version", [](pqxx::connection& connection) -> Result<std::uint64_t> {
        return pqxx::nontransaction(connection)
            .exec1("SELECT (pg_current_wal_insert_lsn() - '0/0')::bigint")[0]
            .as<std::uint64_t>();
      });
  return position ? *position : unread_.fetch_add(1) + 1;
}

}  // namespace patchcast::server
