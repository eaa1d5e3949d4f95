// RecordStore: the typed port for what the service keeps of its own making, forecasts
// (ForecastRecord) and capacity plans (PlanRecord), for the domain's readers and writers of them:
// the planning service, and later the scheduler and the accuracy scoring. How a record is kept is
// the implementation's business (api/document_record_store.h keeps the API's rendering of it, in a
// DocumentRepository); here a record goes in and comes back out.
//
// Implementations must be thread-safe; Keep is durable when it returns success.
#pragma once

#include <string_view>

#include "core/result.h"
#include "forecasting/forecast_record.h"
#include "forecasting/plan_record.h"

namespace patchcast::forecasting {

template <typename Record>
class RecordStore {
 public:
  virtual ~RecordStore() = default;

  // Keeps `record` under its id and series. Errors: kNotFound when the series does not exist;
  // kConflict for a duplicate id; store errors.
  virtual Status Keep(const Record& record) = 0;

  // Returns record `id`, or kNotFound "forecast 'x' does not exist" ("plan 'x' …").
  virtual Result<Record> Get(std::string_view id) const = 0;

  // Returns the series' latest record that is not hypothetical; kNotFound for an unknown series,
  // or "no forecast has been made for series 'x' yet" ("no plan …").
  virtual Result<Record> Latest(std::string_view series_id) const = 0;
};

using ForecastStore = RecordStore<ForecastRecord>;
using PlanStore = RecordStore<PlanRecord>;

}  // namespace patchcast::forecasting
