// CalendarRepository: the port through which the calendar catalog persists what operators define —
// custom calendar definitions and overrides — so that they survive restarts, and reach every
// process sharing the store.
//
// Declared beside the domain so that neither forecasting/ nor api/ sees SQLite: server/storage/
// implements it over SQLite, tests/support/ in memory. The repository stores and returns values; it
// does not validate them (CalendarCatalog does, before anything is written). Implementations must
// be safe to call from many threads at once.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "calendars/custom_calendar.h"
#include "calendars/override.h"
#include "core/result.h"

namespace patchcast::forecasting {

// Everything a repository holds, each list in creation order.
struct StoredCalendars {
  std::vector<calendars::CustomCalendarDefinition> definitions;
  std::vector<calendars::Override> overrides;
};

class CalendarRepository {
 public:
  virtual ~CalendarRepository() = default;

  // Returns every stored definition and override, each list in the order it was inserted, every
  // field exactly as inserted. Errors: kUnavailable when the store cannot be read; kInternal when a
  // stored row cannot be read back (its message names the row).
  virtual Result<StoredCalendars> Load() const = 0;

  // Returns a number that grows with every committed insert or delete, made by any process
  // sharing the store; one small read, so a catalog can ask before each use whether another
  // process changed the calendars. A Load after a call returns at least what was stored then.
  // Errors: kUnavailable when the store cannot be read.
  virtual Result<std::uint64_t> Revision() const = 0;

  // Stores `definition` after every definition stored so far. Returns OK once it is durable, or
  // kConflict when a definition with its id is stored already, or the store's error (kUnavailable,
  // kInsufficientStorage, kInternal); nothing is stored then.
  virtual Status InsertCalendar(const calendars::CustomCalendarDefinition& definition) = 0;

  // Removes the definition `id` and every override whose calendar_id is `id`, atomically. Returns
  // OK once durable, kNotFound when no definition `id` is stored, or the store's error.
  virtual Status DeleteCalendar(std::string_view id) = 0;

  // Stores `override_` after every override stored so far (overrides apply in this order). Returns
  // OK once durable, kConflict when an override with its id is stored already, or the store's
  // error.
  virtual Status InsertOverride(const calendars::Override& override_) = 0;

  // Removes the override `override_id` of calendar `calendar_id`. Returns OK once durable,
  // kNotFound when that calendar has no such override, or the store's error.
  virtual Status DeleteOverride(std::string_view calendar_id, std::string_view override_id) = 0;
};

}  // namespace patchcast::forecasting
