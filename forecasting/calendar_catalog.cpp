#include "forecasting/calendar_catalog.h"

#include <algorithm>
#include <utility>

#include "calendars/builtin_calendars.h"

namespace patchcast::forecasting {
namespace {

using calendars::CalendarInfo;
using calendars::CalendarRegistry;
using calendars::CustomCalendarDefinition;
using calendars::Override;

// How many fresh ids AddOverride draws before giving up; a collision of random ids is already
// improbable, so needing more than one draw means the id source is broken.
constexpr int kOverrideIdAttempts = 8;

}  // namespace

const CustomCalendarDefinition* CatalogSnapshot::FindDefinition(std::string_view id) const {
  auto it = std::find_if(definitions.begin(), definitions.end(),
                         [id](const CustomCalendarDefinition& d) { return d.id == id; });
  return it == definitions.end() ? nullptr : &*it;
}

std::vector<Override> CatalogSnapshot::OverridesOf(std::string_view calendar_id) const {
  std::vector<Override> matching;
  for (const Override& override_ : registry.overrides()) {
    if (override_.calendar_id == calendar_id) matching.push_back(override_);
  }
  return matching;
}

CalendarCatalog::CalendarCatalog(CalendarRepository& repository, OverrideIdSource new_override_id,
                                 std::shared_ptr<const CatalogSnapshot> snapshot)
    : repository_(repository),
      new_override_id_(std::move(new_override_id)),
      snapshot_(std::move(snapshot)) {}

Result<std::unique_ptr<CalendarCatalog>> CalendarCatalog::Open(CalendarRepository& repository,
                                                               OverrideIdSource new_override_id) {
  Result<std::uint64_t> revision = repository.Revision();
  if (!revision) return revision.error();
  auto snapshot = Load(repository, *revision);
  if (!snapshot) return snapshot.error();
  return std::unique_ptr<CalendarCatalog>(
      new CalendarCatalog(repository, std::move(new_override_id), std::move(*snapshot)));
}

Result<std::shared_ptr<const CatalogSnapshot>> CalendarCatalog::Build(
    std::vector<CustomCalendarDefinition> definitions, std::vector<Override> overrides,
    std::uint64_t revision) {
  Result<CalendarRegistry> registry = CalendarRegistry::Create(definitions, std::move(overrides));
  if (!registry) return registry.error();
  return std::shared_ptr<const CatalogSnapshot>(
      new CatalogSnapshot{std::move(*registry), std::move(definitions), revision});
}

Result<std::shared_ptr<const CatalogSnapshot>> CalendarCatalog::Load(
    const CalendarRepository& repository, std::uint64_t revision) {
  Result<StoredCalendars> stored = repository.Load();
  if (!stored) return stored.error();
  auto snapshot = Build(std::move(stored->definitions), std::move(stored->overrides), revision);
  if (!snapshot) {
    Error error = snapshot.error();
    error.message = "stored calendars: " + error.message;
    return error;
  }
  return snapshot;
}

std::shared_ptr<const CatalogSnapshot> CalendarCatalog::Snapshot() const {
  Result<std::uint64_t> revision = repository_.Revision();
  if (std::shared_ptr<const CatalogSnapshot> held = Held();
      !revision || *revision == held->revision) {
    return held;
  }
  std::lock_guard reloading(reload_mutex_);
  // Another thread may have loaded it while this one waited: revisions only grow.
  if (std::shared_ptr<const CatalogSnapshot> held = Held(); held->revision >= *revision) {
    return held;
  }
  auto loaded = Load(repository_, *revision);
  if (!loaded) return Held();
  Publish(*loaded);
  return *loaded;
}

std::shared_ptr<const CatalogSnapshot> CalendarCatalog::Held() const {
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

void CalendarCatalog::Publish(std::shared_ptr<const CatalogSnapshot> snapshot) const {
  std::lock_guard lock(snapshot_mutex_);
  snapshot_ = std::move(snapshot);
}

Result<CalendarInfo> CalendarCatalog::CreateCalendar(CustomCalendarDefinition definition) {
  std::lock_guard lock(write_mutex_);
  const std::shared_ptr<const CatalogSnapshot> current = Snapshot();
  // The built-in check comes first so that its message wins over "already exists".
  if (Status id = calendars::ValidateCalendarId(definition.id); !id) return id.error();
  if (current->FindDefinition(definition.id) != nullptr) {
    return Conflict("calendar '" + definition.id + "' already exists");
  }
  std::vector<CustomCalendarDefinition> definitions = current->definitions;
  definitions.push_back(definition);
  auto candidate = Build(std::move(definitions), current->registry.overrides(), current->revision);
  if (!candidate) return candidate.error();
  if (Status stored = repository_.InsertCalendar(definition); !stored) return stored.error();
  Result<CalendarInfo> info = (*candidate)->registry.FindCalendar(definition.id);
  Publish(std::move(*candidate));
  return info;
}

Status CalendarCatalog::DeleteCalendar(std::string_view id) {
  std::lock_guard lock(write_mutex_);
  const std::shared_ptr<const CatalogSnapshot> current = Snapshot();
  if (current->FindDefinition(id) == nullptr) {
    if (calendars::IsBuiltinCalendarId(id)) {
      return Conflict("calendar '" + std::string(id) + "' is built in and cannot be deleted");
    }
    return NotFound("calendar '" + std::string(id) + "' does not exist");
  }
  std::vector<CustomCalendarDefinition> definitions;
  for (const CustomCalendarDefinition& definition : current->definitions) {
    if (definition.id != id) definitions.push_back(definition);
  }
  std::vector<Override> overrides;
  for (const Override& override_ : current->registry.overrides()) {
    if (override_.calendar_id != id) overrides.push_back(override_);
  }
  auto candidate = Build(std::move(definitions), std::move(overrides), current->revision);
  if (!candidate) return candidate.error();
  if (Status removed = repository_.DeleteCalendar(id); !removed) return removed;
  Publish(std::move(*candidate));
  return {};
}

Result<Override> CalendarCatalog::AddOverride(Override override_) {
  std::lock_guard lock(write_mutex_);
  const std::shared_ptr<const CatalogSnapshot> current = Snapshot();
  if (auto calendar = current->registry.FindCalendar(override_.calendar_id); !calendar) {
    return calendar.error();
  }
  const std::vector<Override>& existing = current->registry.overrides();
  for (int attempt = 0;; ++attempt) {
    if (attempt == kOverrideIdAttempts) return Internal("could not draw a fresh override id");
    override_.id = new_override_id_();
    const bool taken = std::any_of(existing.begin(), existing.end(),
                                   [&](const Override& o) { return o.id == override_.id; });
    if (!taken) break;
  }
  std::vector<Override> overrides = existing;
  overrides.push_back(override_);
  auto candidate = Build(current->definitions, std::move(overrides), current->revision);
  if (!candidate) return candidate.error();
  if (Status stored = repository_.InsertOverride(override_); !stored) return stored.error();
  Publish(std::move(*candidate));
  return override_;
}

Status CalendarCatalog::DeleteOverride(std::string_view calendar_id, std::string_view override_id) {
  std::lock_guard lock(write_mutex_);
  const std::shared_ptr<const CatalogSnapshot> current = Snapshot();
  if (auto calendar = current->registry.FindCalendar(calendar_id); !calendar) {
    return calendar.error();
  }
  std::vector<Override> overrides;
  bool found = false;
  for (const Override& override_ : current->registry.overrides()) {
    if (override_.calendar_id == calendar_id && override_.id == override_id) {
      found = true;
    } else {
      overrides.push_back(override_);
    }
  }
  if (!found) {
    return NotFound("calendar '" + std::string(calendar_id) + "' has no override '" +
                    std::string(override_id) + "'");
  }
  auto candidate = Build(current->definitions, std::move(overrides), current->revision);
  if (!candidate) return candidate.error();
  if (Status removed = repository_.DeleteOverride(calendar_id, override_id); !removed) {
    return removed;
  }
  Publish(std::move(*candidate));
  return {};
}

}  // namespace patchcast::forecasting
