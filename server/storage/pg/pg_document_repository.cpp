#include "server/storage/pg/pg_document_repository.h"

#include <cstdint>
#include <optional>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "server/storage/document_rows.h"
#include "server/storage/pg/pg_call.h"
#include "server/storage/pg/pg_series_lock.h"
#include "server/storage/pg/pg_time.h"
#include "server/storage/series_rows.h"

namespace patchcast::storage::pg {
namespace {

using forecasting::DocumentKind;
using forecasting::StoredDocument;
using std::chrono::sys_seconds;

// The document in `row`, whose columns are id, series_id, generated_at, valid_until (NULL for a
// forecast), hypothetical (false for a plan), format, horizon_end and score_at (NULL for a plan),
// document.
StoredDocument ReadDocument(const pqxx::row& row) {
  return StoredDocument{.id = row[0].as<std::string>(),
                        .series_id = row[1].as<std::string>(),
                        .generated_at = Instant(row[2]),
                        .valid_until = OptionalInstant(row[3]),
                        .document = row[8].as<std::string>(),
                        .format = row[5].as<int>(),
                        .hypothetical = row[4].as<bool>(),
                        .horizon_end = OptionalInstant(row[6]),
                        .score_at = OptionalInstant(row[7])};
}

std::vector<StoredDocument> ReadDocuments(const pqxx::result& rows) {
  std::vector<StoredDocument> documents;
  documents.reserve(rows.size());
  for (const pqxx::row& row : rows) documents.push_back(ReadDocument(row));
  return documents;
}

// The columns ReadDocument reads before the document, from table alias d: the columns a kind lacks
// as constants.
std::string Columns(DocumentKind kind) {
  return kind == DocumentKind::kForecast
             ? "d.id, d.series_id, d.generated_at, NULL::bigint, d.hypothetical, d.format, "
               "d.horizon_end, d.score_at, "
             : "d.id, d.series_id, d.generated_at, d.valid_until, false, d.format, NULL::bigint, "
               "NULL::bigint, ";
}

bool SeriesExists(pqxx::transaction_base& transaction, std::string_view series_id) {
  return !transaction.exec_params("SELECT 1 FROM series WHERE id = $1", std::string(series_id))
              .empty();
}

// Inserts `document` unless its id is taken; returns whether it did.
bool Insert(pqxx::transaction_base& transaction, DocumentKind kind, const std::string& table,
            const StoredDocument& document) {
  const std::string head = "INSERT INTO " + table + " (id, series_id, generated_at, format, ";
  const std::string tail = " ON CONFLICT (id) DO NOTHING";
  if (kind == DocumentKind::kPlan) {
    return transaction
               .exec_params(head + "valid_until, document) VALUES ($1, $2, $3, $4, $5, $6)" + tail,
                            document.id, document.series_id, Seconds(document.generated_at),
                            document.format, Seconds(*document.valid_until), document.document)
               .affected_rows() == 1;
  }
  return transaction
             .exec_params(head +
                              "hypothetical, horizon_end, score_at, document) VALUES ($1, $2, $3, "
                              "$4, $5, NULLIF($6, '')::bigint, NULLIF($7, '')::bigint, $8)" +
                              tail,
                          document.id, document.series_id, Seconds(document.generated_at),
                          document.format, document.hypothetical,
                          OptionalSeconds(document.horizon_end), OptionalSeconds(document.score_at),
                          document.document)
             .affected_rows() == 1;
}

// Save's transaction on `connection`: the document, then the series' oldest beyond `retention`
// pruned. RunOnPool may run it twice (a lost connection); it reports only through its result.
Status SaveIn(pqxx::connection& connection, DocumentKind kind, const StoredDocument& document,
              int retention) {
  const std::string table = DocumentTable(kind);
  pqxx::work transaction(connection);
  if (Status locked = LockSeriesForWrite(transaction, document.series_id); !locked) {
    return locked;
  }
  if (!Insert(transaction, kind, table, document)) {
    return Conflict(std::string(forecasting::Noun(kind)) + " '" + document.id + "' already exists");
  }
  transaction.exec_params("DELETE FROM " + table +
                              " WHERE series_id = $1 AND seq NOT IN (SELECT seq FROM " + table +
                              " WHERE series_id = $1 ORDER BY generated_at DESC, seq DESC LIMIT "
                              "$2)",
                          document.series_id, retention);
  transaction.commit();
  return {};
}

}  // namespace

PgDocumentRepository::PgDocumentRepository(DocumentKind kind, PgPool& pool, int retention)
    : kind_(kind),
      noun_(forecasting::Noun(kind)),
      table_(DocumentTable(kind)),
      columns_(Columns(kind)),
      pool_(pool),
      retention_(retention) {}

std::string PgDocumentRepository::NotHypothetical(const std::string& alias) const {
  return kind_ == DocumentKind::kForecast ? " AND NOT " + alias + ".hypothetical" : "";
}

Status PgDocumentRepository::Save(const StoredDocument& document) {
  if (Status savable = CheckSavable(kind_, document); !savable) return savable;
  return RunOnPool(pool_, "save " + noun_ + " '" + document.id + "'",
                   [&](pqxx::connection& connection) {
                     return SaveIn(connection, kind_, document, retention_);
                   });
}

Result<StoredDocument> PgDocumentRepository::Get(std::string_view id) const {
  return RunOnPool(pool_, "read " + noun_ + " '" + std::string(id) + "'",
                   [&](pqxx::connection& connection) -> Result<StoredDocument> {
                     const pqxx::result rows =
                         pqxx::nontransaction(connection)
                             .exec_params("SELECT " + columns_ + "d.document FROM " + table_ +
                                              " AS d WHERE d.id = $1",
                                          std::string(id));
                     if (rows.empty()) return NoSuchDocument(kind_, id);
                     return ReadDocument(rows[0]);
                   });
}

Result<StoredDocument> PgDocumentRepository::Latest(std::string_view series_id) const {
  return RunOnPool(
      pool_, "read the latest " + noun_ + " of series '" + std::string(series_id) + "'",
      [&](pqxx::connection& connection) -> Result<StoredDocument> {
        pqxx::read_transaction transaction(connection);
        const pqxx::result rows = transaction.exec_params(
            "SELECT " + columns_ + "d.document FROM " + table_ + " AS d WHERE d.series_id = $1" +
                NotHypothetical("d") + " ORDER BY d.generated_at DESC, d.seq DESC LIMIT 1",
            std::string(series_id));
        if (!rows.empty()) return ReadDocument(rows[0]);
        if (!SeriesExists(transaction, series_id)) return NoSuchSeries(series_id);
        return NoDocumentYet(kind_, series_id);
      });
}

Result<std::vector<StoredDocument>> PgDocumentRepository::ForSeries(
    std::string_view series_id) const {
  return RunOnPool(
      pool_, "read the " + table_ + " of series '" + std::string(series_id) + "'",
      [&](pqxx::connection& connection) -> Result<std::vector<StoredDocument>> {
        return ReadDocuments(
            pqxx::nontransaction(connection)
                .exec_params("SELECT " + columns_ + "d.document FROM " + table_ +
                                 " AS d WHERE d.series_id = $1 ORDER BY d.generated_at DESC, d.seq "
                                 "DESC",
                             std::string(series_id)));
      });
}

Result<std::vector<StoredDocument>> PgDocumentRepository::LatestPerSeries(
    forecasting::WithDocuments documents) const {
  // One search of the by_series index a series, as SQLite does; series ids sort in byte order
  // (COLLATE "C"), so the order is SQLite's too.
  const std::string text = documents == forecasting::WithDocuments::kYes ? "d.document" : "''";
  return RunOnPool(
      pool_, "read the latest " + table_,
      [&](pqxx::connection& connection) -> Result<std::vector<StoredDocument>> {
        return ReadDocuments(
            pqxx::nontransaction(connection)
                .exec("SELECT " + columns_ + text + " FROM series AS s CROSS JOIN LATERAL " +
                      "(SELECT * FROM " + table_ + " AS q WHERE q.series_id = s.id" +
                      NotHypothetical("q") +
                      " ORDER BY q.generated_at DESC, q.seq DESC LIMIT 1) AS d ORDER BY s.id"));
      });
}

}  // namespace patchcast::storage::pg
