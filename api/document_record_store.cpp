#include "api/document_record_store.h"

#include <string>
#include <utility>

#include "api/forecast_document.h"
#include "api/plan_document.h"
#include "forecasting/forecast_accuracy.h"

namespace patchcast::api {
namespace {

using forecasting::ForecastRecord;
using forecasting::PlanRecord;
using forecasting::StoredDocument;

Result<ForecastRecord> Decode(const StoredDocument& stored, const ForecastRecord*) {
  return ReadForecastDocument(stored.document);
}

Result<PlanRecord> Decode(const StoredDocument& stored, const PlanRecord*) {
  return ReadPlanDocument(stored.document);
}

constexpr std::string_view NounOf(const ForecastRecord*) { return "forecast"; }
constexpr std::string_view NounOf(const PlanRecord*) { return "plan"; }

// The record `stored` holds, when this build reads its format.
template <typename Record>
Result<Record> RecordIn(Result<StoredDocument> stored) {
  if (!stored) return std::move(stored).error();
  constexpr const Record* kKind = nullptr;
  if (stored->format != kDocumentFormat) {
    return Internal("stored " + std::string(NounOf(kKind)) + " '" + stored->id + "' has format " +
                    std::to_string(stored->format) + "; this build reads format " +
                    std::to_string(kDocumentFormat));
  }
  return Decode(*stored, kKind);
}

}  // namespace

StoredDocument StoredFormOf(const ForecastRecord& record) {
  return {.id = record.id,
          .series_id = record.series_id,
          .generated_at = record.generated_at,
          .valid_until = std::nullopt,
          .document = ForecastDocument(record).dump(),
          .format = kDocumentFormat,
          .hypothetical = record.hypothetical,
          .horizon_end = forecasting::HorizonEnd(record),
          .score_at = record.hypothetical
                          ? std::nullopt
                          : std::optional(forecasting::ScoringMilestones(record).front())};
}

StoredDocument StoredFormOf(const PlanRecord& record) {
  return {.id = record.id,
          .series_id = record.series_id,
          .generated_at = record.generated_at,
          .valid_until = record.valid_until,
          .document = PlanDocument(record).dump(),
          .format = kDocumentFormat,
          .hypothetical = false,
          .horizon_end = std::nullopt,
          .score_at = std::nullopt};
}

template <typename Record>
Status DocumentRecordStore<Record>::Keep(const Record& record) {
  return documents_.Save(StoredFormOf(record));
}

template <typename Record>
Result<Record> DocumentRecordStore<Record>::Get(std::string_view id) const {
  return RecordIn<Record>(documents_.Get(id));
}

template <typename Record>
Result<Record> DocumentRecordStore<Record>::Latest(std::string_view series_id) const {
  return RecordIn<Record>(documents_.Latest(series_id));
}

template class DocumentRecordStore<ForecastRecord>;
template class DocumentRecordStore<PlanRecord>;

}  // namespace patchcast::api
