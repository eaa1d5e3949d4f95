// What the document repositories of every engine (SQLite, PostgreSQL) share: the table a kind of
// document is kept in, the rule a document must meet before it is saved, and the errors they answer
// with (forecasting/document_repository.h). Engine-neutral: no database headers. Pure functions;
// thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "forecasting/document_repository.h"

namespace patchcast::storage {

// The table documents of `kind` are kept in: "forecasts" or "plans".
std::string DocumentTable(forecasting::DocumentKind kind);

// Returns OK when `document` may be saved as a document of `kind`, else kInternal "plan 'x' is
// saved without valid_until" (a bug in the caller: every plan has one).
Status CheckSavable(forecasting::DocumentKind kind, const forecasting::StoredDocument& document);

// kNotFound "forecast 'x' does not exist" ("plan 'x' …").
Error NoSuchDocument(forecasting::DocumentKind kind, std::string_view id);

// kNotFound "no forecast has been made for series 'x' yet" ("no plan …"): the series exists but
// has no document Latest would return.
Error NoDocumentYet(forecasting::DocumentKind kind, std::string_view series_id);

}  // namespace patchcast::storage
