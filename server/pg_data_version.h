// PgDataVersion: api::DataVersion over a PostgreSQL database, so that the response cache, ETags
// and /metrics digests of one replica move when any replica commits.
//
// It reads the server's WAL insert position (pg_current_wal_insert_lsn()), a 64-bit byte offset
// that every commit advances by writing its commit record, before the commit becomes visible to
// anyone. A caller that reads the version before its data therefore sees a new version after any
// commit its data may miss. Writes to other databases of the cluster, checkpoints and vacuum
// advance it too: a cache miss, never a stale answer.
//
// Thread-safe as the pool is. One pooled round trip per call. When the database cannot be read,
// a fresh value every time (above any WAL position), so nothing is served from a cache.
#pragma once

#include <atomic>
#include <cstdint>

#include "api/data_version.h"
#include "server/storage/pg/pg_pool.h"

namespace patchcast::server {

class PgDataVersion final : public api::DataVersion {
 public:
  // `pool` must outlive this object.
  explicit PgDataVersion(storage::pg::PgPool& pool) : pool_(pool) {}

  std::uint64_t Current() const override;

 private:
  storage::pg::PgPool& pool_;
  mutable std::atomic<std::uint64_t> unread_{std::uint64_t{1} << 63};
};

}  // namespace patchcast::server
