// SeriesGaugeCollector: gathers, at each scrape of GET /metrics, the per-series gauges of the
// latest stored plan and forecast (api/document_digests.h) for MetricsExporter to render.
//
// Cost. A scrape lists the latest plan and forecast of every series without their documents (two
// queries, one index search a series) and computes the gauges from digests it keeps by document
// id: about 3 ms for 200 series (bench/metrics_bench.cpp). A document is read and digested only
// the first time its id is seen, i.e. once after each new plan or forecast, at about 30 MiB/s
// (a 7-day plan at 5-minute steps is about 250 KiB). After a restart every document is new, so a
// scrape digests at most `digest_bytes_per_scrape` of them and leaves the rest, counted as
// pending, to the next scrapes: the first scrapes stay within about a second whatever the number
// of series. Digests of documents no longer latest are dropped at the next scrape, so memory is
// bounded by the series with documents (about 12 bytes a plan bucket, 8 + 8 x quantiles bytes a
// forecast point: 70 KiB for a 7-day plan and forecast at 5-minute steps).
//
// Thread-safe: scrapes may run concurrently (they take turns on the cache).
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/document_digests.h"
#include "api/scope.h"
#include "core/clock.h"
#include "forecasting/document_repository.h"
#include "forecasting/plan_in_service.h"

namespace patchcast::server {

struct SeriesGaugeSnapshot {
  struct Plan {
    std::string series;
    forecasting::ReplicaReading gauges;  // what the latest plan wants now
  };
  struct Forecast {
    std::string series;
    std::chrono::seconds step{};
    std::vector<forecasting::LevelValue> demand;  // not empty
  };
  std::vector<Plan> plans;          // series with a digested plan, ascending series id
  std::vector<Forecast> forecasts;  // series whose latest forecast has a step containing now
  // Latest documents left out because they could not be read or digested (a store error, or a
  // malformed document), plus one for each listing that failed.
  int failed_documents = 0;
  // Latest documents left for a later scrape by the digest budget.
  int pending_documents = 0;
};

// Returns `snapshot` without the plans and forecasts of series `viewer` may not see
// (Principal::MaySee); the counts of failed and pending documents are process-wide and kept.
SeriesGaugeSnapshot VisibleTo(SeriesGaugeSnapshot snapshot, const api::Principal& viewer);

class SeriesGaugeCollector {
 public:
  // Default budget of document bytes a scrape reads and digests: about a second's work.
  static constexpr std::size_t kDefaultDigestBytesPerScrape = 32 << 20;

  // The references must outlive the collector. A scrape starts no new digest once it has digested
  // `digest_bytes_per_scrape` bytes of documents, but always digests at least one.
  SeriesGaugeCollector(const forecasting::DocumentRepository& plans,
                       const forecasting::DocumentRepository& forecasts, const Clock& clock,
                       std::size_t digest_bytes_per_scrape = kDefaultDigestBytesPerScrape)
      : plans_(plans),
        forecasts_(forecasts),
        clock_(clock),
        digest_bytes_per_scrape_(digest_bytes_per_scrape) {}

  // The gauges at the clock's current second. A series whose latest document cannot be read is
  // left out and counted in failed_documents (a malformed document is remembered and not read
  // again; a store error is retried at the next scrape); one left for later by the budget is
  // counted in pending_documents. When a listing fails, all its gauges are left out.
  SeriesGaugeSnapshot Collect() const;

 private:
  template <typename Digest>
  using DigestCache = std::map<std::string, std::shared_ptr<const Digest>>;

  const forecasting::DocumentRepository& plans_;
  const forecasting::DocumentRepository& forecasts_;
  const Clock& clock_;
  const std::size_t digest_bytes_per_scrape_;
  mutable std::mutex mutex_;
  // By document id; null for a document that could not be digested.
  mutable DigestCache<forecasting::PlannedUnits> plan_digests_;
  mutable DigestCache<forecasting::ForecastQuantiles> forecast_digests_;
};

}  // namespace patchcast::server
