// InMemoryCalendarRepository: forecasting::CalendarRepository in memory, for catalog and api
// tests; and SequentialIds, predictable override ids.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "forecasting/calendar_repository.h"

namespace patchcast::testing {

// Keeps definitions and overrides in memory, in insertion order. Thread-safe. Set `fail_writes` to
// make every write fail with that error (and change nothing), as a full disk would, and
// `fail_reads` to make Load and Revision fail, as a lost connection would. Two catalogs opened on
// one repository behave as two processes sharing a database.
class InMemoryCalendarRepository : public forecasting::CalendarRepository {
 public:
  std::optional<Error> fail_writes;
  std::optional<Error> fail_reads;

  Result<forecasting::StoredCalendars> Load() const override {
    std::lock_guard lock(mutex_);
    if (fail_reads) return *fail_reads;
    ++loads_;
    return stored_;
  }
  Result<std::uint64_t> Revision() const override {
    std::lock_guard lock(mutex_);
    if (fail_reads) return *fail_reads;
    return revision_;
  }
  // How many times Load succeeded.
  int loads() const {
    std::lock_guard lock(mutex_);
    return loads_;
  }
  Status InsertCalendar(const calendars::CustomCalendarDefinition& definition) override {
    std::lock_guard lock(mutex_);
    if (fail_writes) return *fail_writes;
    for (const auto& existing : stored_.definitions) {
      if (existing.id == definition.id) return Conflict("calendar exists");
    }
    stored_.definitions.push_back(definition);
    ++revision_;
    return {};
  }
  Status DeleteCalendar(std::string_view id) override {
    std::lock_guard lock(mutex_);
    if (fail_writes) return *fail_writes;
    auto& definitions = stored_.definitions;
    const auto removed = std::erase_if(definitions, [id](const auto& d) { return d.id == id; });
    if (removed == 0) return NotFound("no such calendar");
    std::erase_if(stored_.overrides, [id](const auto& o) { return o.calendar_id == id; });
    ++revision_;
    return {};
  }
  Status InsertOverride(const calendars::Override& override_) override {
    std::lock_guard lock(mutex_);
    if (fail_writes) return *fail_writes;
    stored_.overrides.push_back(override_);
    ++revision_;
    return {};
  }
  Status DeleteOverride(std::string_view calendar_id, std::string_view override_id) override {
    std::lock_guard lock(mutex_);
    if (fail_writes) return *fail_writes;
    const auto removed = std::erase_if(stored_.overrides, [&](const auto& o) {
      return o.calendar_id == calendar_id && o.id == override_id;
    });
    if (removed == 0) return NotFound("no such override");
    ++revision_;
    return {};
  }

 private:
  mutable std::mutex mutex_;
  forecasting::StoredCalendars stored_;
  std::uint64_t revision_ = 0;
  mutable int loads_ = 0;
};

// Hands out "ovr-1", "ovr-2", ... Not thread-safe (the catalog calls it under its lock).
struct SequentialIds {
  int next = 1;
  std::string operator()() { return "ovr-" + std::to_string(next++); }
};

}  // namespace patchcast::testing
