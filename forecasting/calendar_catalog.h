// CalendarCatalog: the calendars the service serves right now — the built-ins plus the custom
// definitions and overrides operators have stored — and the only way to change them.
//
// It holds one immutable CatalogSnapshot (a CalendarRegistry and the definitions it was built from)
// and replaces it after each successful change. Every change is validated by building the candidate
// registry first, so invalid input never reaches the repository; it is then persisted through the
// CalendarRepository port and only then published. Readers take the current snapshot and keep it
// as long as they like; a change never alters a snapshot already taken.
//
// Several processes may share the repository (replicas on one PostgreSQL database). Each
// Snapshot() therefore first reads the repository's revision, and when another process changed
// the calendars since the snapshot was loaded, loads and publishes them again: what one replica
// acknowledged, the others serve at their next read.
//
// Thread-safety: all members may be called from any number of threads at once. Changes are
// serialised (one at a time, in the order they take the lock), so two concurrent creations of one
// id give one success and one kConflict. Pure domain code: no clock, no I/O of its own.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "calendars/calendar_registry.h"
#include "calendars/custom_calendar.h"
#include "calendars/override.h"
#include "core/result.h"
#include "forecasting/calendar_repository.h"

namespace patchcast::forecasting {

// One consistent view of the catalog. Immutable; thread-safe.
struct CatalogSnapshot {
  calendars::CalendarRegistry registry;
  std::vector<calendars::CustomCalendarDefinition> definitions;  // creation order
  // The repository's revision read before the definitions were loaded: when it still is, nothing
  // changed since. A snapshot made by a change keeps the revision it started from, so the next
  // read loads the change back once (with whatever another process did meanwhile).
  std::uint64_t revision = 0;

  // Returns the definition of custom calendar `id`, or null for a built-in or unknown id.
  const calendars::CustomCalendarDefinition* FindDefinition(std::string_view id) const;
  // Returns the overrides of calendar `calendar_id`, in the order they apply (creation order).
  std::vector<calendars::Override> OverridesOf(std::string_view calendar_id) const;
};

// Makes a fresh override id, e.g. "ovr-3f9a0c12b7e4". Called with the catalog's write lock held,
// so it needs no locking of its own. The id is used as a URL path segment: keep it to
// [A-Za-z0-9_-].
using OverrideIdSource = std::function<std::string()>;

class CalendarCatalog {
 public:
  // Loads every definition and override from `repository` and builds the first snapshot.
  // `repository` must outlive the catalog. Errors: the repository's Load error; or the registry's
  // (CalendarRegistry::Create) when stored data no longer builds (e.g. the tz database lost a
  // zone), prefixed "stored calendars: ".
  static Result<std::unique_ptr<CalendarCatalog>> Open(CalendarRepository& repository,
                                                       OverrideIdSource new_override_id);

  CalendarCatalog(const CalendarCatalog&) = delete;
  CalendarCatalog& operator=(const CalendarCatalog&) = delete;

  // Returns the current snapshot, loaded again first if the repository's revision moved; never
  // null. When the repository cannot be read, or what it holds no longer builds, the snapshot
  // already held is returned: calendars change rarely, and a read must not fail for that.
  std::shared_ptr<const CatalogSnapshot> Snapshot() const;

  // Validates `definition` (MakeCustomCalendar's errors: kInvalidArgument, kNotFound for an unknown
  // zone, kUnprocessable for RRULE parts outside the subset, kConflict for a built-in id), refuses
  // an id already defined (kConflict "calendar 'x' already exists"), stores it and publishes it.
  // Returns the new calendar's info, or the error; on error nothing changes.
  Result<calendars::CalendarInfo> CreateCalendar(calendars::CustomCalendarDefinition definition);

  // Removes custom calendar `id` and its overrides. Errors: kNotFound "calendar 'x' does not
  // exist"; kConflict "calendar 'x' is built in and cannot be deleted"; the repository's errors.
  Status DeleteCalendar(std::string_view id);

  // Gives `override_` a fresh id (any id it has is replaced), validates it against its calendar
  // (kNotFound for an unknown calendar; ValidateOverride's kInvalidArgument), stores it after the
  // existing overrides and publishes it. Returns the stored override, or the error; on error
  // nothing changes.
  Result<calendars::Override> AddOverride(calendars::Override override_);

  // Removes override `override_id` of calendar `calendar_id`. Errors: kNotFound "calendar 'x' has
  // no override 'o'" (or "calendar 'x' does not exist"); the repository's errors.
  Status DeleteOverride(std::string_view calendar_id, std::string_view override_id);

 private:
  CalendarCatalog(CalendarRepository& repository, OverrideIdSource new_override_id,
                  std::shared_ptr<const CatalogSnapshot> snapshot);

  // Builds a snapshot of `definitions` and `overrides` at `revision`, or the registry's error.
  static Result<std::shared_ptr<const CatalogSnapshot>> Build(
      std::vector<calendars::CustomCalendarDefinition> definitions,
      std::vector<calendars::Override> overrides, std::uint64_t revision);
  // Loads the repository at `revision` (read before) and builds it, or the error of either.
  static Result<std::shared_ptr<const CatalogSnapshot>> Load(const CalendarRepository& repository,
                                                             std::uint64_t revision);
  std::shared_ptr<const CatalogSnapshot> Held() const;
  void Publish(std::shared_ptr<const CatalogSnapshot> snapshot) const;

  CalendarRepository& repository_;
  const OverrideIdSource new_override_id_;

  std::mutex write_mutex_;           // held for the whole of each change
  mutable std::mutex reload_mutex_;  // held while loading again, so one thread loads at a time
  mutable std::mutex snapshot_mutex_;
  mutable std::shared_ptr<const CatalogSnapshot> snapshot_;  // guarded by snapshot_mutex_
};

}  // namespace patchcast::forecasting
