// InMemoryRecordStore: a RecordStore (forecasting/record_store.h) that keeps records as they are,
// for the domain's tests: Keep refuses a duplicate id and, when told, a series it does not know;
// Latest is the last kept non-hypothetical record of the series. A test can make Keep fail.
// Not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "forecasting/record_store.h"

namespace patchcast::testing {

template <typename Record>
class InMemoryRecordStore final : public forecasting::RecordStore<Record> {
 public:
  // "forecast" or "plan", for the messages.
  explicit InMemoryRecordStore(std::string noun) : noun_(std::move(noun)) {}

  Status Keep(const Record& record) override {
    if (fail_keep) return *fail_keep;
    for (const Record& kept : records) {
      if (kept.id == record.id) return Conflict(noun_ + " '" + record.id + "' already exists");
    }
    records.push_back(record);
    return {};
  }

  Result<Record> Get(std::string_view id) const override {
    for (const Record& kept : records) {
      if (kept.id == id) return kept;
    }
    return NotFound(noun_ + " '" + std::string(id) + "' does not exist");
  }

  Result<Record> Latest(std::string_view series_id) const override {
    for (auto it = records.rbegin(); it != records.rend(); ++it) {
      if (it->series_id == series_id && !IsHypothetical(*it)) return *it;
    }
    return NotFound("no " + noun_ + " has been made for series '" + std::string(series_id) +
                    "' yet");
  }

  std::vector<Record> records;     // in the order kept
  std::optional<Error> fail_keep;  // when set, Keep returns it and keeps nothing

 private:
  static bool IsHypothetical(const Record& record) {
    if constexpr (requires { record.hypothetical; }) {
      return record.hypothetical;
    } else {
      return false;
    }
  }

  std::string noun_;
};

}  // namespace patchcast::testing
