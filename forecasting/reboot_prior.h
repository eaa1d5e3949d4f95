// RebootPrior: the cold-start model of a patch release's login surge, from first principles, used
// while a series has seen fewer than `min_events` past events of a kind and blended away as events
// accumulate (issue 5, model step 4).
//
// The physics (Skype's outage of 16 August 2007 followed Windows Update's reboots after the 14
// August release): every automatic-update machine detects the release at some time in the ~22 h
// after it (the Windows Update client polls about every 22 hours, at a random offset, so detection
// is close to uniform over that span); at the next scheduled install hour (03:00 local by default)
// it installs and restarts, and its user's client logs in again. Machines switched off at that hour
// install at their next boot, the next morning, and restart once more. Managed fleets deploy in
// rings a few days later and repeat the wave. Each zone of the series' mix follows its own wall
// clock, so the wave rolls across time zones.
//
// Value types and pure functions; thread-compatible.
#pragma once

#include <date/tz.h>

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"

namespace patchcast::forecasting {

// One enterprise deployment ring: the wave repeats `delay` later at `share` of its first size.
struct RingEcho {
  std::chrono::hours delay{72};
  double share = 0.25;

  friend bool operator==(const RingEcho&, const RingEcho&) = default;
};

// Every parameter of the prior, each with its default. All are settable per series.
struct RebootPrior {
  // Share of machines installing updates automatically. Default 0.5.
  double auto_update_share = 0.5;
  // Local hour of the scheduled automatic install and restart. Default 3.0 (03:00, Windows
  // Update's default "scheduled install time").
  double install_hour_local = 3.0;
  // Span after the release over which machines detect it (uniformly). Default 22 h.
  double detection_spread_hours = 22.0;
  // Share of automatic-update machines switched on at the install hour. Default 0.4; the others
  // install at next boot (the morning wave).
  double powered_on_share = 0.4;
  // Local hour and spread (standard deviation) of the next morning's boots. Defaults 8.0 and 1.0 h.
  double morning_boot_hour_local = 8.0;
  double morning_boot_spread_hours = 1.0;
  // Delay from install start to the user's client logging in again, and its spread (standard
  // deviation). Defaults 15 and 20 minutes.
  double restart_delay_minutes = 15.0;
  double restart_spread_minutes = 20.0;
  // Enterprise deployment rings. Default +3 d at 0.25 and +7 d at 0.15 of the first wave.
  std::vector<RingEcho> rings = {{std::chrono::hours{72}, 0.25}, {std::chrono::hours{168}, 0.15}};
  // Logins one restart causes. Default 1.0.
  double logins_per_reboot = 1.0;
  // Machines per login of an average day: the fleet size relative to daily demand. Default 0.5
  // (each machine's user logs in about twice a day).
  double machines_per_daily_login = 0.5;
  // Uncertainty of the prior's size: standard deviation of its log. Default 1.0 (a factor 2.7):
  // fleets the series has not shown yet differ that much in automatic updates, machines left on
  // and rings. The parameters above give the wave's expected size; its median is exp(-sd^2 / 2)
  // of it (0.61 at the default), and the median line the per-step median over this size and the
  // timing below (MedianOverTimingAndSize).
  double magnitude_log_sd = 1.0;
  // Uncertainty of the prior's peak time: half-width of its p10-p90 window. Default 5 h: fleets
  // install anywhere from 01:00 to 05:00 (Windows restarts outside its active hours, not at one
  // hour), and whether the install night or the next morning's boots make the larger wave depends
  // on the machines left on. The upper quantiles reach for the wave within it, the median line
  // takes the wave's median over it, and a learned curve may move the wave by up to this much.
  double peak_timing_spread_hours = 5.0;
  // Shrinkage: with n >= min_events past events, the prior keeps weight strength / (strength + n).
  // Defaults 0.5 and 1: a series' own past release, at weight 2/3, already places and sizes the
  // next one's wave better than the prior's general shape (issue 11's scenario family, hourly,
  // 1-2 past releases: median peak error 7.9 -> 4.9 %, timing 360 -> 60 min, MAPE below seasonal
  // naive in 73 % of draws instead of 13 %).
  double strength = 0.5;
  int min_events = 1;

  friend bool operator==(const RebootPrior&, const RebootPrior&) = default;
};

// The most deployment rings a prior may have.
inline constexpr std::size_t kMaxRings = 10;

// Returns success when every parameter of `prior` is finite and physically sensible. Errors
// (kInvalidArgument) name the parameter as JSON does, with the range and the value:
// "auto_update_share: must be in [0, 1] (got 1.5)", "install_hour_local: must be in [0, 24) (got
// 24)", "rings[1].delay_hours: must be in (0, 336] (got 0)", "rings: at most 10 are allowed (got
// 11)". Ranges: shares in [0, 1] (ring shares in [0, 2]); hours of day in [0, 24);
// detection_spread_hours in (0, 168]; morning_boot_spread_hours in (0, 12]; restart delay and
// spread in [0, 1440] minutes; ring delays in (0, 336] hours; logins_per_reboot and
// machines_per_daily_login in [0, 100]; magnitude_log_sd in [0, 5]; peak_timing_spread_hours in
// [0, 48]; strength in [0, 100]; min_events in [0, 1000].
Status ValidateRebootPrior(const RebootPrior& prior);

// A zone of the series' users and its share of them (resolved from the options' zone mix).
struct ZoneWeight {
  const date::time_zone* zone = nullptr;
  double share = 0;
};

// Returns the prior's extra logins per step, in units of the series' mean daily logins, for the
// `count` steps starting `first_offset` steps after `step_start` (the start of the step that
// contains the release at `release`). Each wave component is a normal distribution over time,
// integrated over each step. Zones with a null zone are skipped; shares need not sum to 1.
std::vector<double> RebootWaveShape(std::chrono::sys_seconds release,
                                    std::chrono::sys_seconds step_start, std::chrono::seconds step,
                                    std::int64_t first_offset, std::size_t count,
                                    std::span<const ZoneWeight> zones, const RebootPrior& prior);

// The zones of `zones` (IANA names, in order) whose install night after `release` has begun by
// `at`: the first prior.install_hour_local on each zone's wall clock from the release on. Following
// the sun, these are the zones whose wave has been seen. Zones with a null zone are skipped.
std::vector<std::string> ZonesInstalledBy(std::span<const ZoneWeight> zones,
                                          const RebootPrior& prior,
                                          std::chrono::sys_seconds release,
                                          std::chrono::sys_seconds at);

// The prior's hour is a default, and fleets install from 01:00 to 05:00: the expected wave when its
// timing is off by a normal error of standard deviation sd_steps (in steps) is `wave` convolved
// with that density, truncated at 3 sd and renormalised at each step over the part of the kernel
// that falls inside `wave`. sd_steps <= 0 returns `wave` itself.
std::vector<double> SpreadOverTiming(std::span<const double> wave, double sd_steps);

// The per-step median of `wave` when its timing is off by a normal error of standard deviation
// timing_sd_steps (in steps) and its size by a log-normal factor of median 1 and log standard
// deviation size_log_sd: what a median forecast should show. A spike narrower than the timing's
// uncertainty is at no step more likely there than not, so it flattens to nothing, while a broad
// wave keeps its height where every likely timing puts it. On its flanks, where only some timings
// do, an uncertain size lowers the median further: a step that sees the wave in 12 of 21 equally
// likely timings falls short of the wave's median height in 71 % of outcomes (the other 9
// timings, and the smaller half of the sizes in the 12). Outside `wave` the wave is 0.
// timing_sd_steps <= 0 returns `wave` itself (the size's median is 1).
std::vector<double> MedianOverTimingAndSize(std::span<const double> wave, double timing_sd_steps,
                                            double size_log_sd);

}  // namespace patchcast::forecasting
