#include "server/series_gauge_collector.h"

#include <utility>
#include <vector>

namespace patchcast::server {
namespace {

// What one scrape has spent of its digest budget, and what it could not do.
struct ScrapeWork {
  std::size_t budget_bytes = 0;
  std::size_t digested_bytes = 0;
  bool digested_any = false;
  int failed = 0;
  int pending = 0;
};

// The digest of `stored` (one of the latest documents, listed without its body), kept in `kept`:
// from `cache` when its id was seen before, else read by id and digested if the budget allows.
// Returns null, counted in `work`, when the document is left for later (not cached), cannot be
// read (not cached: retried next time) or cannot be digested (cached as null).
template <typename Digest, typename Stored, typename Repository, typename DigestFn>
std::shared_ptr<const Digest> DigestOf(const Stored& stored, const Repository& repository,
                                       DigestFn digest_document,
                                       std::map<std::string, std::shared_ptr<const Digest>>& cache,
                                       std::map<std::string, std::shared_ptr<const Digest>>& kept,
                                       ScrapeWork& work) {
  if (auto it = cache.find(stored.id); it != cache.end()) {
    if (!it->second) ++work.failed;
    return kept[stored.id] = std::move(it->second);
  }
  if (work.digested_any && work.digested_bytes >= work.budget_bytes) {
    ++work.pending;
    return nullptr;
  }
  auto full = repository.Get(stored.id);
  if (!full) {  // e.g. pruned since the listing, or the store is busy
    ++work.failed;
    return nullptr;
  }
  work.digested_any = true;
  work.digested_bytes += full->document.size();
  auto digest = digest_document(full->document);
  std::shared_ptr<const Digest> shared =
      digest ? std::make_shared<const Digest>(std::move(*digest)) : nullptr;
  if (!shared) ++work.failed;
  kept[stored.id] = shared;
  return shared;
}

}  // namespace

SeriesGaugeSnapshot VisibleTo(SeriesGaugeSnapshot snapshot, const api::Principal& viewer) {
  const auto hidden = [&viewer](const auto& gauges) { return !viewer.MaySee(gauges.series); };
  std::erase_if(snapshot.plans, hidden);
  std::erase_if(snapshot.forecasts, hidden);
  return snapshot;
}

SeriesGaugeSnapshot SeriesGaugeCollector::Collect() const {
  const auto now = std::chrono::floor<std::chrono::seconds>(clock_.Now());
  SeriesGaugeSnapshot snapshot;
  ScrapeWork work{digest_bytes_per_scrape_};
  std::lock_guard lock(mutex_);

  if (auto plans = plans_.LatestPerSeries(forecasting::WithDocuments::kNo); plans) {
    DigestCache<forecasting::PlannedUnits> kept;
    for (const forecasting::StoredDocument& plan : *plans) {
      auto digest = DigestOf<forecasting::PlannedUnits>(plan, plans_, api::DigestPlanDocument,
                                                        plan_digests_, kept, work);
      if (!digest) continue;
      snapshot.plans.push_back({plan.series_id, forecasting::ReplicasAt(*digest, now)});
    }
    plan_digests_ = std::move(kept);
  } else {
    ++work.failed;
  }

  if (auto forecasts = forecasts_.LatestPerSeries(forecasting::WithDocuments::kNo); forecasts) {
    DigestCache<forecasting::ForecastQuantiles> kept;
    for (const forecasting::StoredDocument& forecast : *forecasts) {
      auto digest = DigestOf<forecasting::ForecastQuantiles>(
          forecast, forecasts_, api::DigestForecastDocument, forecast_digests_, kept, work);
      if (!digest) continue;
      auto demand = forecasting::ValuesAt(*digest, now);
      if (!demand.empty()) {
        snapshot.forecasts.push_back({forecast.series_id, digest->step, std::move(demand)});
      }
    }
    forecast_digests_ = std::move(kept);
  } else {
    ++work.failed;
  }
  snapshot.failed_documents = work.failed;
  snapshot.pending_documents = work.pending;
  return snapshot;
}

}  // namespace patchcast::server
