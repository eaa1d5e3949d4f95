// IndependentTelemetry: a second generator of login telemetry around Microsoft's releases, written
// from its own statement of the physics (issue 11) and sharing no code with
// forecasting/synthetic_telemetry, so that the forecaster can be judged on data it was not written
// alongside (bench/forecast_family_bench.cpp).
//
// The physics of one scenario, every parameter drawn from the scenario's seed (DrawScenario):
//  - Users: 2..5 regions, each in a real IANA zone with a share of the users, its own daily
//    shape in local wall-clock time (night floor, morning ramp, midday plateau with a lunch dip,
//    evening decline) and weekends lower by its own factor. DST follows the zone
//    (calendars/zone.h).
//  - Reboots: a release makes machines restart, and each restart is one login. Machines on
//    automatic updates detect the release over the following 0..48 h and restart at the region's
//    install hour (01:00..05:00 local) on the first night after detection, so the spike repeats
//    smaller on the next nights; the spike has a spread of 10 min..3 h. Those powered off at that
//    hour restart at the next working morning's boot (Monday after a weekend). Managed machines
//    follow in enterprise rings a few days later (about +2, +7 and +14 days, random shares).
//  - Month-to-month size: a release's share of machines that restart is log-normal around the
//    scenario's level; the announced bulletins count, critical severity and restart requirement
//    explain part of it (a release needing no restart is much smaller, never zero), the rest is
//    noise the annotations cannot explain.
//  - Slow drift of the level (a few % a month), correlated multiplicative noise, counting noise,
//    outages (a few hours near zero) and gaps (missing steps).
//
// All randomness comes from std::mt19937_64 streams derived from the scenario's seed; each stream
// (drift, noise, incidents, each release) has its own seed, so the same scenario over the same
// range gives the same expected demand, drift, incidents and release sizes at every step; only
// the counting noise depends on the step.
//
// Pure functions; thread-safe. The types are values; thread-compatible. Zone pointers point into
// the process-wide tz database (calendars/zone.h) and stay valid for the life of the process.
#pragma once

#include <date/tz.h>

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "calendars/event.h"
#include "core/result.h"
#include "forecasting/regular_series.h"
#include "forecasting/series.h"

namespace patchcast::bench {

// A region's weekday login rate by local hour, relative to its midday plateau (1).
struct DailyShape {
  double night_floor = 0.1;  // rate at night
  double ramp_start_hour_local = 7;
  double ramp_end_hour_local = 9;
  double lunch_hour_local = 12.5;
  double lunch_dip = 0.1;  // depth of the dip at lunch_hour_local, share of the plateau
  double decline_start_hour_local = 17;
  double decline_end_hour_local = 21;
};

struct Region {
  std::string zone_name;
  const date::time_zone* zone = nullptr;
  double user_share = 0;  // the regions' shares sum to 1
  DailyShape shape;
  double weekend_factor = 0.5;    // Saturday and Sunday (local) rate relative to a weekday's
  double install_hour_local = 3;  // 1..5: the scheduled install time
  std::chrono::seconds install_to_login{std::chrono::minutes{30}};  // install start to login
  std::chrono::seconds reboot_spread{std::chrono::minutes{40}};     // sd of a night's spike
  double automatic_share = 0.5;          // 0.2..0.9 of machines; others managed
  double powered_off_share = 0.3;        // off at the install hour
  double morning_boot_hour_local = 8.5;  // mean boot time of a working morning
  std::chrono::seconds morning_spread{std::chrono::minutes{60}};  // sd of the morning boots
};

// An enterprise deployment ring: `share` of the managed machines take the release `delay` after
// it.
struct Ring {
  date::days delay{7};
  double share = 0;
};

// How a release's size depends on what is announced about it:
//   share = median_share * (bulletins / kReferenceBulletins)^bulletin_elasticity
//           * (critical ? 1 : non_critical_factor) * (restart ? 1 : no_restart_factor)
//           * (out of band ? out_of_band_factor : 1) * exp(unexplained_log_sd * N(0, 1)),
// capped at 1 (every machine restarts).
struct SurgeSize {
  static constexpr double kReferenceBulletins = 6;
  double median_share = 0.6;
  double bulletin_elasticity = 0.3;
  double non_critical_factor = 0.7;
  double no_restart_factor = 0.15;
  double out_of_band_factor = 0.4;
  double unexplained_log_sd = 0.25;
};

struct Scenario {
  std::uint64_t seed = 0;
  std::vector<Region> regions;
  double base_logins_per_hour = 10'000;     // mean hourly logins of a weekday at the range's start
  double logins_per_machine_per_day = 3;    // a weekday's logins per machine: the fleet's size
  double detection_mean_hours = 10;         // automatic machines, truncated at 48 h
  double managed_detection_mean_hours = 4;  // ring machines after deployment, truncated at 24 h
  std::vector<Ring> rings;
  SurgeSize size;
  double drift_per_month_mean = 0.01;  // log-level change per 30 days: mean and sd
  double drift_per_month_sd = 0.02;
  double slow_noise_sd = 0.04;  // multiplicative, correlated over slow_noise_hours
  double slow_noise_hours = 6;
  double outages_per_30_days = 0.5;
  double gaps_per_30_days = 0.7;

  // The regions' zones and shares, as a series' metadata gives them to the forecaster.
  std::vector<forecasting::ZoneShare> ZoneMix() const;
  // How long after a release its restarts go on: the last ring, its detection, a weekend and a
  // morning's spread. History that starts this long after a release has none of its effects.
  std::chrono::seconds EffectSpan() const;
};

// Draws a scenario from `seed` (the ranges are in the header comment and
// independent_telemetry.cpp). Errors: kNotFound when the tz database lacks one of the zones regions
// are drawn from.
Result<Scenario> DrawScenario(std::uint64_t seed);

// What the generator drew for one release, and how large it made it.
struct ReleaseAnnotation {
  std::string event_id;  // Event::Id()
  int bulletins = 0;     // the event's own count when the calendar has one, else drawn
  calendars::Severity max_severity = calendars::Severity::kImportant;
  bool restart_required = true;
  double restart_share = 0;  // share of the eligible machines that restart
};

// What the generator draws for `release` (kind kRelease or kOutOfBand) in `scenario`: the same
// for the same scenario seed and release instant, whatever range or step is generated.
ReleaseAnnotation AnnotateRelease(const Scenario& scenario, const calendars::Event& release);

struct IndependentTelemetry {
  forecasting::RegularSeries series;           // logins per step; NaN = missing
  std::vector<double> baseline;                // expected logins per step without any restart
  std::vector<double> expected;                // with the restarts, before incidents and noise
  std::vector<double> outage_kept;             // share of logins outages leave (1: no outage)
  std::vector<ReleaseAnnotation> annotations;  // one per release or out-of-band event, by start
};

// Generates logins per step on [from, to) at `step` for `scenario`. Every event of kind kRelease
// or kOutOfBand in `events` starting before `to` makes its restarts (those that started long
// before `from` simply add nothing); other kinds are ignored. The series starts at `from`.
// Errors (kInvalidArgument): a step that is not positive or does not divide a day; `from` not a
// multiple of the step since the epoch; `to` not after `from`; a scenario without regions or with
// a region whose zone is null.
Result<IndependentTelemetry> GenerateIndependentTelemetry(const Scenario& scenario,
                                                          std::span<const calendars::Event> events,
                                                          std::chrono::sys_seconds from,
                                                          std::chrono::sys_seconds to,
                                                          std::chrono::seconds step);

enum class AnnotationCondition { kAnnotated, kNoAnnotations };

// `events` as the forecaster is told them: kAnnotated sets bulletins, max_severity and
// restart_required from the annotation with the same Event::Id() (events without one keep none
// of the three); kNoAnnotations clears all three on every event.
std::vector<calendars::Event> EventsAsTold(std::span<const calendars::Event> events,
                                           std::span<const ReleaseAnnotation> annotations,
                                           AnnotationCondition condition);

}  // namespace patchcast::bench
