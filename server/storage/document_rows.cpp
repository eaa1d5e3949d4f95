#include "server/storage/document_rows.h"

namespace patchcast::storage {

using forecasting::DocumentKind;

std::string DocumentTable(DocumentKind kind) { return std::string(forecasting::Noun(kind)) + "s"; }

Status CheckSavable(DocumentKind kind, const forecasting::StoredDocument& document) {
  if (kind == DocumentKind::kPlan && !document.valid_until) {
    return Internal("plan '" + document.id + "' is saved without valid_until");
  }
  return {};
}

Error NoSuchDocument(DocumentKind kind, std::string_view id) {
  return NotFound(std::string(forecasting::Noun(kind)) + " '" + std::string(id) +
                  "' does not exist");
}

Error NoDocumentYet(DocumentKind kind, std::string_view series_id) {
  return NotFound("no " + std::string(forecasting::Noun(kind)) + " has been made for series '" +
                  std::string(series_id) + "' yet");
}

}  // namespace patchcast::storage
