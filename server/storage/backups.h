// Backups: consistent snapshots of the database written beside it, with SQLite's VACUUM INTO.
//
// VACUUM INTO reads one snapshot of the database (readers in WAL mode never block the writer) and
// writes a compact copy. The copy is written under a temporary name and renamed into place, so a
// backup that exists under its final name is complete. Stateless functions; thread-safe as long as
// each call has its own connection.
#pragma once

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "forecasting/storage.h"

namespace patchcast::storage {

// Returns the file name for a backup taken at `taken_at` with `label`:
// "patchcast-20261122T010203Z.db" or "patchcast-20261122T010203Z-<label>.db".
// Returns kInvalidArgument if `label` is not 1-64 of [A-Za-z0-9._-] (an empty label is allowed).
Result<std::string> BackupFileName(Instant taken_at, std::string_view label);

// Writes a backup of the database `connection` reads into `directory` (created if missing).
// Errors as Storage::CreateBackup.
Result<BackupInfo> WriteBackup(SQLite::Database& connection, const std::filesystem::path& directory,
                               Instant taken_at, std::string_view label);

// Lists the backups in `directory`, oldest first; an absent directory holds none.
Result<std::vector<BackupInfo>> ListBackupFiles(const std::filesystem::path& directory);

}  // namespace patchcast::storage
