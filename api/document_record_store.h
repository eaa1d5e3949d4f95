// DocumentRecordStore: the RecordStore (forecasting/record_store.h) that keeps each forecast or
// plan as the API renders it (forecast_document.h, plan_document.h), in a DocumentRepository, and
// reads it back with the same codec. So the text GET /v1/forecasts/{id} serves is the text kept,
// and the domain still gets records in and out.
//
// Versioned: each text is kept with the version of its rendering (StoredDocument::format). This
// build writes kDocumentFormat and reads it (with the older variants its codecs accept); a row of
// another version is an error that names it, never a misread. Thread-safe when the repository is.
#pragma once

#include <string_view>

#include "core/result.h"
#include "forecasting/document_repository.h"
#include "forecasting/record_store.h"

namespace patchcast::api {

// The version of the documents' rendering this build writes and reads.
inline constexpr int kDocumentFormat = 1;

// A record as it is kept: its keys, and its document at kDocumentFormat.
forecasting::StoredDocument StoredFormOf(const forecasting::ForecastRecord& record);
forecasting::StoredDocument StoredFormOf(const forecasting::PlanRecord& record);

template <typename Record>
class DocumentRecordStore final : public forecasting::RecordStore<Record> {
 public:
  // The repository must outlive this and hold documents of Record's kind.
  explicit DocumentRecordStore(forecasting::DocumentRepository& documents)
      : documents_(documents) {}

  // Renders `record` and saves it. Errors: the repository's Save errors.
  Status Keep(const Record& record) override;

  // Reads and decodes. Errors: the repository's; kInternal "stored plan 'plan-1' has format 2;
  // this build reads format 1" for a row of another version; the codec's for a broken document.
  Result<Record> Get(std::string_view id) const override;
  Result<Record> Latest(std::string_view series_id) const override;

 private:
  forecasting::DocumentRepository& documents_;
};

using DocumentForecastStore = DocumentRecordStore<forecasting::ForecastRecord>;
using DocumentPlanStore = DocumentRecordStore<forecasting::PlanRecord>;

}  // namespace patchcast::api
