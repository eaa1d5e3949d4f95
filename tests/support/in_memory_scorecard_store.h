// InMemoryScorecardStore: forecasting::ScorecardStore over a map, for the scheduler's and the
// routes' tests. What is due is read from the forecast documents and series it is given, as the
// SQLite store reads its tables. Every series exists unless listed in `missing_series`.
// Thread-safe.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "forecasting/document_repository.h"
#include "forecasting/scorecard_store.h"
#include "forecasting/series_repository.h"

namespace patchcast::testing {

class InMemoryScorecardStore : public forecasting::ScorecardStore {
 public:
  // `forecasts` and `series` must outlive the store.
  InMemoryScorecardStore(const forecasting::DocumentRepository& forecasts,
                         const forecasting::SeriesRepository& series)
      : forecasts_(forecasts), series_(series) {}

  Status Keep(const forecasting::ForecastScorecard& card) override {
    std::lock_guard lock(mutex_);
    if (missing_series.contains(card.series_id)) {
      return NotFound("series '" + card.series_id + "' does not exist");
    }
    cards_[card.forecast_id] = card;
    next_score_at_[card.forecast_id] = card.next_score_at;
    return {};
  }

  Result<std::vector<forecasting::ForecastScorecard>> List(
      std::string_view series_id, std::chrono::sys_seconds from,
      std::chrono::sys_seconds to) const override {
    std::lock_guard lock(mutex_);
    std::vector<forecasting::ForecastScorecard> listed;
    for (const auto& [id, card] : cards_) {
      if (card.series_id == series_id && card.generated_at >= from && card.generated_at < to) {
        listed.push_back(card);
      }
    }
    std::stable_sort(listed.begin(), listed.end(),
                     [](const auto& a, const auto& b) { return a.generated_at < b.generated_at; });
    return listed;
  }

  Result<std::vector<forecasting::ForecastScorecard>> LatestPerSeries() const override {
    std::lock_guard lock(mutex_);
    std::map<std::string, forecasting::ForecastScorecard> latest;
    for (const auto& [id, card] : cards_) {
      if (!card.complete()) continue;
      auto [slot, added] = latest.emplace(card.series_id, card);
      if (!added && card.horizon_end >= slot->second.horizon_end) slot->second = card;
    }
    std::vector<forecasting::ForecastScorecard> listed;
    for (auto& [series_id, card] : latest) listed.push_back(std::move(card));
    return listed;
  }

  Result<std::vector<forecasting::DueScoring>> Due(std::size_t limit) const override {
    auto series = series_.ListSeries("");
    if (!series) return series.error();
    std::vector<forecasting::DueScoring> due;
    for (const forecasting::SeriesSummary& summary : *series) {
      auto documents = forecasts_.ForSeries(summary.metadata.id);
      if (!documents) return documents.error();
      for (const forecasting::StoredDocument& document : *documents) {
        if (auto score_at = DueAt(document, summary)) {
          due.push_back({document.id, document.series_id, *document.horizon_end, *score_at});
        }
      }
    }
    std::sort(due.begin(), due.end(), [](const auto& a, const auto& b) {
      return std::tie(a.score_at, a.forecast_id) < std::tie(b.score_at, b.forecast_id);
    });
    if (due.size() > limit) due.resize(limit);
    return due;
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return cards_.size();
  }

  std::set<std::string> missing_series;

 private:
  // When the document is due, if it is: its score_at as kept, or as its last card left it.
  std::optional<std::chrono::sys_seconds> DueAt(const forecasting::StoredDocument& document,
                                                const forecasting::SeriesSummary& summary) const {
    std::lock_guard lock(mutex_);
    const auto recorded = next_score_at_.find(document.id);
    const auto score_at = recorded != next_score_at_.end() ? recorded->second : document.score_at;
    if (document.hypothetical || !document.horizon_end || !score_at || !summary.last ||
        *score_at > *summary.last) {
      return std::nullopt;
    }
    return score_at;
  }

  const forecasting::DocumentRepository& forecasts_;
  const forecasting::SeriesRepository& series_;
  mutable std::mutex mutex_;
  std::map<std::string, forecasting::ForecastScorecard> cards_;
  // What Keep recorded on the forecasts, as the SQLite store updates their score_at.
  std::map<std::string, std::optional<std::chrono::sys_seconds>> next_score_at_;
};

}  // namespace patchcast::testing
