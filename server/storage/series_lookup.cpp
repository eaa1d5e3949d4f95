#include "server/storage/series_lookup.h"

#include <SQLiteCpp/Statement.h>

#include <string>

#include "server/storage/sqlite_error.h"

namespace patchcast::storage {

Error UnknownSeriesOr(ReaderPool& readers, std::string_view series_id, Error nothing_stored) {
  try {
    ReaderPool::Lease reader = readers.Borrow();
    SQLite::Statement series(*reader, "SELECT 1 FROM series WHERE id = ?");
    series.bind(1, std::string(series_id));
    if (!series.executeStep()) {
      return NotFound("series '" + std::string(series_id) + "' does not exist");
    }
    return nothing_stored;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "look up series");
  }
}

}  // namespace patchcast::storage
