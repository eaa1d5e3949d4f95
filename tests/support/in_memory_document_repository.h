// InMemoryDocumentRepository: forecasting::DocumentRepository over a vector, for api and server
// tests, with the SQLite repository's ordering and messages (retention aside). Thread-safe.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "forecasting/document_repository.h"

namespace patchcast::testing {

class InMemoryDocumentRepository : public forecasting::DocumentRepository {
 public:
  explicit InMemoryDocumentRepository(forecasting::DocumentKind kind)
      : noun_(forecasting::Noun(kind)) {}

  Status Save(const forecasting::StoredDocument& document) override {
    std::lock_guard lock(mutex_);
    for (const auto& kept : stored_) {
      if (kept.id == document.id) return Conflict(noun_ + " '" + document.id + "' already exists");
    }
    stored_.push_back(document);
    return {};
  }
  Result<forecasting::StoredDocument> Get(std::string_view id) const override {
    std::lock_guard lock(mutex_);
    for (const auto& document : stored_) {
      if (document.id == id) return document;
    }
    return NotFound(noun_ + " '" + std::string(id) + "' does not exist");
  }
  // The newest generated_at that is not hypothetical; the later Save on a tie (as SQLite's seq
  // orders them).
  Result<forecasting::StoredDocument> Latest(std::string_view series_id) const override {
    std::lock_guard lock(mutex_);
    const forecasting::StoredDocument* latest = nullptr;
    for (const auto& document : stored_) {
      if (document.series_id == series_id && !document.hypothetical &&
          (!latest || document.generated_at >= latest->generated_at)) {
        latest = &document;
      }
    }
    if (!latest) {
      return NotFound("no " + noun_ + " has been made for series '" + std::string(series_id) +
                      "' yet");
    }
    return *latest;
  }
  // Newest generated_at first; the later Save first on a tie.
  Result<std::vector<forecasting::StoredDocument>> ForSeries(
      std::string_view series_id) const override {
    std::lock_guard lock(mutex_);
    std::vector<forecasting::StoredDocument> out;
    for (auto it = stored_.rbegin(); it != stored_.rend(); ++it) {
      if (it->series_id == series_id) out.push_back(*it);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.generated_at > b.generated_at; });
    return out;
  }
  Result<std::vector<forecasting::StoredDocument>> LatestPerSeries(
      forecasting::WithDocuments documents) const override {
    std::lock_guard lock(mutex_);
    std::map<std::string, const forecasting::StoredDocument*> latest;
    for (const auto& document : stored_) {
      if (document.hypothetical) continue;
      const forecasting::StoredDocument*& slot = latest[document.series_id];
      if (!slot || document.generated_at >= slot->generated_at) slot = &document;
    }
    std::vector<forecasting::StoredDocument> out;
    for (const auto& [series_id, document] : latest) {
      out.push_back(*document);
      if (documents == forecasting::WithDocuments::kNo) out.back().document.clear();
    }
    return out;
  }

 private:
  const std::string noun_;
  mutable std::mutex mutex_;
  std::vector<forecasting::StoredDocument> stored_;
};

// The fakes of the two kinds, default-constructible as test fixtures' members.
struct InMemoryForecastRepository : InMemoryDocumentRepository {
  InMemoryForecastRepository() : InMemoryDocumentRepository(forecasting::DocumentKind::kForecast) {}
};
struct InMemoryPlanRepository : InMemoryDocumentRepository {
  InMemoryPlanRepository() : InMemoryDocumentRepository(forecasting::DocumentKind::kPlan) {}
};

}  // namespace patchcast::testing
