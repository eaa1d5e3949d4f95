#include "server/storage/sqlite_document_repository.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "server/storage/document_rows.h"
#include "server/storage/series_lookup.h"
#include "server/storage/series_rows.h"
#include "server/storage/sqlite_error.h"
#include "server/storage/sqlite_time.h"

namespace patchcast::storage {
namespace {

using forecasting::DocumentKind;
using forecasting::StoredDocument;

// The document in the current row of `query`, whose columns are id, series_id, generated_at,
// valid_until (NULL for a forecast), hypothetical (0 for a plan), format, horizon_end and score_at
// (NULL for a plan), document.
StoredDocument ReadDocument(SQLite::Statement& query) {
  return StoredDocument{.id = query.getColumn(0).getString(),
                        .series_id = query.getColumn(1).getString(),
                        .generated_at = Instant(query.getColumn(2)),
                        .valid_until = OptionalInstant(query.getColumn(3)),
                        .document = query.getColumn(8).getString(),
                        .format = query.getColumn(5).getInt(),
                        .hypothetical = query.getColumn(4).getInt() != 0,
                        .horizon_end = OptionalInstant(query.getColumn(6)),
                        .score_at = OptionalInstant(query.getColumn(7))};
}

// The columns ReadDocument reads before the document, from table alias d: the columns a kind lacks
// as constants.
std::string Columns(DocumentKind kind) {
  return kind == DocumentKind::kForecast
             ? "d.id, d.series_id, d.generated_at, NULL, d.hypothetical, d.format, d.horizon_end, "
               "d.score_at, "
             : "d.id, d.series_id, d.generated_at, d.valid_until, 0, d.format, NULL, NULL, ";
}

// The statement Save runs for `kind` in `table`. Its parameters: id, series_id, generated_at, the
// plan's valid_until or the forecast's hypothetical flag, format, document, and for a forecast
// horizon_end and score_at.
std::string InsertSql(DocumentKind kind, const std::string& table) {
  return "INSERT INTO " + table + " (id, series_id, generated_at, " +
         (kind == DocumentKind::kPlan
              ? "valid_until, format, document) VALUES (?, ?, ?, ?, ?, ?)"
              : "hypothetical, format, document, horizon_end, score_at) VALUES (?, ?, ?, ?, ?, ?, "
                "?, ?)");
}

}  // namespace

SqliteDocumentRepository::SqliteDocumentRepository(DocumentKind kind, WriteQueue& writes,
                                                   ReaderPool& readers, int retention)
    : kind_(kind),
      noun_(forecasting::Noun(kind)),
      table_(DocumentTable(kind)),
      columns_(Columns(kind)),
      writes_(writes),
      readers_(readers),
      retention_(retention) {}

Status SqliteDocumentRepository::Save(const StoredDocument& document) {
  if (Status savable = CheckSavable(kind_, document); !savable) return savable;
  const bool plan = kind_ == DocumentKind::kPlan;
  return writes_.Submit([&](SQLite::Database& db) -> Status {
    SQLite::Statement series(db, "SELECT 1 FROM series WHERE id = ?");
    series.bind(1, document.series_id);
    if (!series.executeStep()) return NoSuchSeries(document.series_id);
    SQLite::Statement insert(db, InsertSql(kind_, table_));
    insert.bind(1, document.id);
    insert.bind(2, document.series_id);
    insert.bind(3, Seconds(document.generated_at));
    if (plan) {
      insert.bind(4, Seconds(*document.valid_until));
    } else {
      insert.bind(4, document.hypothetical ? 1 : 0);
    }
    insert.bind(5, document.format);
    insert.bindNoCopy(6, document.document);
    if (!plan) {
      BindInstant(insert, 7, document.horizon_end);
      BindInstant(insert, 8, document.score_at);
    }
    insert.exec();
    // Keep the newest `retention_` of the series.
    SQLite::Statement prune(db, "DELETE FROM " + table_ +
                                    " WHERE series_id = ?1 AND id NOT IN (SELECT id FROM " +
                                    table_ +
                                    " WHERE series_id = ?1 ORDER BY generated_at DESC, seq "
                                    "DESC LIMIT ?2)");
    prune.bind(1, document.series_id);
    prune.bind(2, retention_);
    prune.exec();
    return {};
  });
}

std::string SqliteDocumentRepository::NotHypothetical(const std::string& alias) const {
  return kind_ == DocumentKind::kForecast ? " AND " + alias + ".hypothetical = 0" : "";
}

Result<StoredDocument> SqliteDocumentRepository::FindOne(const std::string& sql,
                                                         std::string_view key,
                                                         const Error& not_found) const {
  try {
    ReaderPool::Lease reader = readers_.Borrow();
    SQLite::Statement query(*reader, sql);
    query.bind(1, std::string(key));
    if (!query.executeStep()) return not_found;
    return ReadDocument(query);
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "read " + noun_);
  }
}

Result<std::vector<StoredDocument>> SqliteDocumentRepository::FindAll(
    const std::string& sql, std::string_view key, const std::string& what) const {
  try {
    ReaderPool::Lease reader = readers_.Borrow();
    SQLite::Statement query(*reader, sql);
    if (!key.empty()) query.bind(1, std::string(key));
    std::vector<StoredDocument> documents;
    while (query.executeStep()) documents.push_back(ReadDocument(query));
    return documents;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, what);
  }
}

Result<StoredDocument> SqliteDocumentRepository::Get(std::string_view id) const {
  return FindOne("SELECT " + columns_ + "d.document FROM " + table_ + " AS d WHERE d.id = ?", id,
                 NoSuchDocument(kind_, id));
}

Result<StoredDocument> SqliteDocumentRepository::Latest(std::string_view series_id) const {
  auto latest =
      FindOne("SELECT " + columns_ + "d.document FROM " + table_ + " AS d WHERE d.series_id = ?" +
                  NotHypothetical("d") + " ORDER BY d.generated_at DESC, d.seq DESC LIMIT 1",
              series_id, NoDocumentYet(kind_, series_id));
  if (latest || latest.error().code != ErrorCode::kNotFound) return latest;
  return UnknownSeriesOr(readers_, series_id, std::move(latest).error());
}

Result<std::vector<StoredDocument>> SqliteDocumentRepository::ForSeries(
    std::string_view series_id) const {
  return FindAll("SELECT " + columns_ + "d.document FROM " + table_ +
                     " AS d WHERE d.series_id = ? ORDER BY d.generated_at DESC, d.seq DESC",
                 series_id, "read the series' " + table_);
}

Result<std::vector<StoredDocument>> SqliteDocumentRepository::LatestPerSeries(
    forecasting::WithDocuments documents) const {
  // One index search a series (the by_series index holds generated_at and, implicitly, seq, so the
  // ORDER BY needs no sort), then one row lookup by seq: cheap for thousands of series.
  const std::string text = documents == forecasting::WithDocuments::kYes ? "d.document" : "''";
  return FindAll("SELECT " + columns_ + text + " FROM series AS s JOIN " + table_ +
                     " AS d ON d.seq = (SELECT q.seq FROM " + table_ +
                     " AS q WHERE q.series_id = s.id" + NotHypothetical("q") +
                     " ORDER BY q.generated_at DESC, q.seq DESC LIMIT 1) ORDER BY s.id",
                 "", "read the latest " + table_);
}

}  // namespace patchcast::storage
