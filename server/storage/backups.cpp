#include "server/storage/backups.h"

#include <SQLiteCpp/Statement.h>
#include <date/date.h>

#include <algorithm>
#include <system_error>

#include "server/storage/sqlite_error.h"

namespace patchcast::storage {
namespace {

constexpr std::string_view kPrefix = "patchcast-";
constexpr std::string_view kSuffix = ".db";

bool IsLabelChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

}  // namespace

Result<std::string> BackupFileName(Instant taken_at, std::string_view label) {
  if (label.size() > 64 || !std::all_of(label.begin(), label.end(), IsLabelChar)) {
    return InvalidArgument("backup label '" + std::string(label) +
                           "' must be 1-64 characters of A-Z a-z 0-9 . _ -");
  }
  std::string name =
      std::string(kPrefix) +
      date::format("%Y%m%dT%H%M%SZ", std::chrono::floor<std::chrono::seconds>(taken_at));
  if (!label.empty()) name += "-" + std::string(label);
  return name + std::string(kSuffix);
}

Result<BackupInfo> WriteBackup(SQLite::Database& connection, const std::filesystem::path& directory,
                               Instant taken_at, std::string_view label) {
  Result<std::string> name = BackupFileName(taken_at, label);
  if (!name) return name.error();
  const std::filesystem::path target = directory / *name;
  const std::filesystem::path partial = directory / ("." + *name + ".partial");
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    return Unavailable("cannot create backup directory '" + directory.string() +
                       "': " + error.message());
  }
  if (std::filesystem::exists(target)) {
    return Conflict("backup '" + *name + "' exists already; choose another label");
  }
  std::filesystem::remove(partial, error);  // left over from a crash, if any
  try {
    SQLite::Statement vacuum(connection, "VACUUM INTO ?");
    vacuum.bind(1, partial.string());
    vacuum.exec();
  } catch (const SQLite::Exception& e) {
    std::filesystem::remove(partial, error);
    return FromSqlite(e, "backup into '" + target.string() + "'");
  }
  std::filesystem::rename(partial, target, error);
  if (error) return Internal("cannot move the backup into place: " + error.message());
  return BackupInfo{*name, static_cast<std::uint64_t>(std::filesystem::file_size(target, error))};
}

Result<std::vector<BackupInfo>> ListBackupFiles(const std::filesystem::path& directory) {
  std::vector<BackupInfo> backups;
  std::error_code error;
  if (!std::filesystem::exists(directory, error)) return backups;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || !name.starts_with(kPrefix) || !name.ends_with(kSuffix)) {
      continue;
    }
    backups.push_back({name, static_cast<std::uint64_t>(entry.file_size(error))});
  }
  if (error) return Unavailable("cannot list '" + directory.string() + "': " + error.message());
  // The timestamp follows the common prefix, so name order is time order.
  std::sort(backups.begin(), backups.end(),
            [](const BackupInfo& a, const BackupInfo& b) { return a.name < b.name; });
  return backups;
}

}  // namespace patchcast::storage
