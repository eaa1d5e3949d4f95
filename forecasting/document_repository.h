// DocumentRepository: the storage port for the documents the service makes and keeps, forecasts
// and capacity plans, so that dashboards and orchestrators can fetch the latest one without
// recomputing it. One port for both kinds: a repository holds one kind, and both are kept, found
// and pruned by the same rules.
//
// Storage keeps a document as the text the API renders (api/forecast_document.h,
// api/plan_document.h; opaque here) with the keys to find it again and the version of that
// rendering, and prunes a series' oldest beyond a retention count. The domain reads and writes
// records through RecordStore (record_store.h); this port serves the kept text as it is.
// Implementations must be thread-safe; Save is durable when it returns success.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace patchcast::forecasting {

enum class DocumentKind { kForecast, kPlan };

// What messages call a document of `kind`: "forecast" or "plan".
constexpr std::string_view Noun(DocumentKind kind) {
  return kind == DocumentKind::kForecast ? "forecast" : "plan";
}

struct StoredDocument {
  std::string id;         // unique within its kind, e.g. "fc-3f0c9a1b2c4d5e6f", "plan-…"
  std::string series_id;  // the series it forecasts or plans for
  std::chrono::sys_seconds generated_at{};
  // A plan's: after this instant the plan is stale. A forecast has none.
  std::optional<std::chrono::sys_seconds> valid_until;
  std::string document;  // the rendered text
  // The version of the rendering (api/document_record_store.h): 1 for every document so far.
  int format = 1;
  // A what-if forecast (sizes changed by hand): stored and fetched by id like any other, but never
  // a series' latest, so that it feeds no dashboard or gauge. Default false.
  bool hypothetical = false;
  // A forecast's last point: once the series' points reach it, the forecast can be scored
  // (scorecard_store.h). None for a plan, and for forecasts kept before it was recorded.
  std::optional<std::chrono::sys_seconds> horizon_end{};
  // When a forecast next has something to score: its first scoring milestone when kept (the end of
  // its first event's window, else horizon_end; forecast_accuracy.h), then what its latest partial
  // scorecard says. None for a plan, a hypothetical forecast, and one scored in full.
  std::optional<std::chrono::sys_seconds> score_at{};

  friend bool operator==(const StoredDocument&, const StoredDocument&) = default;
};

// Whether a listing reads the documents' text. A document is hundreds of kilobytes (a 7-day plan
// at 5-minute steps is about 250 KiB); callers that only need the keys, or keep the texts they
// have seen (an id's document never changes), ask for kNo and fetch the few they lack by id.
enum class WithDocuments : bool { kNo, kYes };

class DocumentRepository {
 public:
  virtual ~DocumentRepository() = default;

  // Stores `document`, then deletes the series' oldest documents beyond the retention count.
  // Errors: kNotFound when the series does not exist; kConflict for a duplicate id; store errors.
  virtual Status Save(const StoredDocument& document) = 0;

  // Returns document `id`, or kNotFound "forecast 'x' does not exist" ("plan 'x' …").
  virtual Result<StoredDocument> Get(std::string_view id) const = 0;

  // Returns the most recently generated document of `series_id` that is not hypothetical (the
  // later saved on a tie); kNotFound "series 'x' does not exist" for an unknown series, or "no
  // forecast has been made for series 'x' yet" ("no plan …").
  virtual Result<StoredDocument> Latest(std::string_view series_id) const = 0;

  // Returns every stored document of `series_id`, hypothetical ones included, newest first (the
  // later saved first on a tie); empty when the series has none or does not exist. Errors: store
  // errors.
  virtual Result<std::vector<StoredDocument>> ForSeries(std::string_view series_id) const = 0;

  // Returns, for every series that has a document Latest would return, that one, in ascending
  // order of series id; empty when none is stored. With WithDocuments::kNo the texts are left
  // empty (the other fields are set). One query however many series; errors: store errors.
  virtual Result<std::vector<StoredDocument>> LatestPerSeries(WithDocuments documents) const = 0;
};

}  // namespace patchcast::forecasting
