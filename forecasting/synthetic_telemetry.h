// Synthetic login telemetry with known truth, for tests and the accuracy bench (issue 5): several
// regions in different zones with daily and weekly cycles on their own wall clocks (so DST changes
// happen), a trend, multiplicative noise, and a reboot surge after every release or out-of-band
// event it is given — the 03:00-local install wave, the next-morning wave, ring echoes — sized by
// the month's bulletin count and, when known or drawn, its highest severity and whether it needs a
// restart — plus optional outage dips, one-off spikes and gaps.
//
// Deterministic: the same options and events give bit-identical output on every platform (its own
// SplitMix64 generator and Box-Muller normals, no std:: distributions). Pure; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "calendars/event.h"
#include "core/result.h"
#include "forecasting/reboot_prior.h"
#include "forecasting/regular_series.h"
#include "forecasting/series.h"

namespace patchcast::forecasting {

struct SyntheticInterval {
  std::chrono::sys_seconds start{};
  std::chrono::seconds duration{3600};
  double factor = 1;  // the truth is multiplied by it (0.3: an outage dip; 3: a spike; ignored
                      // for gaps)
};

struct SyntheticOptions {
  std::uint64_t seed = 1;
  std::chrono::sys_seconds start{};
  std::chrono::sys_seconds end{};
  std::chrono::seconds step{3600};
  std::vector<ZoneShare> regions = {{"Europe/Berlin", 0.4},
                                    {"America/New_York", 0.3},
                                    {"America/Los_Angeles", 0.15},
                                    {"Asia/Tokyo", 0.15}};
  double logins_per_day = 2.4e6;      // at `start`
  double trend_per_year = 0.15;       // relative growth per year, linear
  double weekend_factor = 0.65;       // weekend days' volume relative to weekdays
  double noise_log_sd_hourly = 0.02;  // per hourly step; scaled by sqrt(3600 / step)
  // Surge of a release, before its severity: the reboot physics below, in days of logins.
  RebootPrior surge_physics = [] {
    RebootPrior physics;
    physics.powered_on_share = 0.55;
    physics.morning_boot_hour_local = 8.5;
    physics.restart_delay_minutes = 10;
    physics.rings = {{std::chrono::hours{72}, 0.3}, {std::chrono::hours{168}, 0.2}};
    return physics;
  }();
  // A release's size: (1 - severity_weight + severity_weight * bulletins / mean_bulletins) times
  // the annotations' factors below, times a log-normal factor with this standard deviation.
  // Out-of-band events use bulletins = mean_bulletins * out_of_band_size.
  double severity_weight = 0.6;
  double mean_bulletins = 7;
  double size_log_sd = 0.08;
  double out_of_band_size = 0.6;
  // Month-to-month annotations, as an advance notice would announce them. With annotate, each
  // release without a max_severity is critical with probability critical_share (else important),
  // and each without restart_required needs no restart with probability no_restart_share (seeded;
  // out-of-band events are critical and need a restart). Off by default, so that a caller's
  // series does not change under it. Whether drawn or given, a non-critical release's surge is
  // non_critical_size times a critical one's, and a release known to need no restart has
  // no_restart_size times its surge: no reboot, no wave.
  bool annotate = false;
  double critical_share = 0.6;
  double no_restart_share = 0.15;
  double non_critical_size = 0.6;
  double no_restart_size = 0;
  std::vector<SyntheticInterval> dips;  // outages and spikes: truth x factor
  std::vector<SyntheticInterval> gaps;  // steps set to NaN
};

struct SyntheticTelemetry {
  RegularSeries series;          // what a client would upload
  std::vector<double> baseline;  // per step: the truth without events or noise
  std::vector<double> surge;     // per step: the events' extra logins (no noise)
  // The events as given, with the annotations drawn (options.annotate): what a forecast should
  // be given.
  std::vector<calendars::Event> events;
};

// Generates the telemetry on [start, end) for `events` (events of other kinds than release and
// out-of-band are ignored). Errors (kInvalidArgument): a step that does not divide a day, start
// not before end or not on the step grid, an unknown zone ("regions[1]: ..."), more than 10
// million steps.
Result<SyntheticTelemetry> GenerateSyntheticTelemetry(const SyntheticOptions& options,
                                                      std::span<const calendars::Event> events);

}  // namespace patchcast::forecasting
