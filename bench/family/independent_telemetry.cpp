// The generator of independent_telemetry.h: drawing a scenario, then the expected logins per step
// (the regions' daily shapes, the level's drift and slow noise, each release's restarts), then what
// is observed (outages, counting noise, gaps).
#include "bench/family/independent_telemetry.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <random>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "calendars/zone.h"

namespace patchcast::bench {
namespace {

namespace cal = patchcast::calendars;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr double kSecondsPerHour = 3600;
constexpr double kAutomaticDetectionMaxHours = 48;
constexpr double kManagedDetectionMaxHours = 24;
constexpr seconds kDriftKnotSpacing = date::days{30};
// A pulse is spread over +-5 standard deviations: the normal tail beyond holds < 1e-6 of it.
constexpr double kPulseReachSds = 5;
// Below this mean a step's count is drawn from the Poisson law itself; above, its normal
// approximation (the two differ by less than the noise's own sampling error there).
constexpr double kPoissonExactBelow = 50;

// The zones regions are drawn from: where the users of a global service sit, with daylight time
// in both hemispheres (US, EU and Sydney rules differ) and zones without it.
constexpr std::array<std::string_view, 9> kZoneNames = {
    "America/Los_Angeles", "America/New_York", "America/Chicago",
    "America/Sao_Paulo",   "Europe/London",    "Europe/Berlin",
    "Asia/Kolkata",        "Asia/Tokyo",       "Australia/Sydney"};

// Each kind of randomness has its own stream, so that drawing more of one never shifts another.
enum class Stream : std::uint64_t {
  kParameters = 1,
  kDrift,
  kSlowNoise,
  kOutages,
  kGaps,
  kCounting,
  kRelease
};

// SplitMix64's output function (Steele, Lea and Flood, "Fast splittable pseudorandom number
// generators", OOPSLA 2014): nearby inputs give unrelated 64-bit seeds.
std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::mt19937_64 StreamRng(std::uint64_t seed, Stream stream, std::uint64_t salt = 0) {
  return std::mt19937_64(Mix(Mix(seed) ^ Mix((static_cast<std::uint64_t>(stream) << 56) ^ salt)));
}

double Uniform(std::mt19937_64& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}
double LogUniform(std::mt19937_64& rng, double lo, double hi) {
  return std::exp(Uniform(rng, std::log(lo), std::log(hi)));
}
bool Chance(std::mt19937_64& rng, double probability) { return Uniform(rng, 0, 1) < probability; }
double StandardNormal(std::mt19937_64& rng) { return std::normal_distribution<double>(0, 1)(rng); }
seconds Minutes(double value) { return seconds{std::llround(value * 60)}; }
double Hours(seconds span) { return static_cast<double>(span.count()) / kSecondsPerHour; }

// ---- Drawing a scenario ----

DailyShape DrawDailyShape(std::mt19937_64& rng) {
  DailyShape shape;
  shape.night_floor = Uniform(rng, 0.04, 0.15);
  shape.ramp_start_hour_local = Uniform(rng, 5.5, 8.0);
  shape.ramp_end_hour_local = shape.ramp_start_hour_local + Uniform(rng, 1.5, 3.0);
  shape.lunch_hour_local = Uniform(rng, 12.0, 13.5);
  shape.lunch_dip = Uniform(rng, 0.0, 0.2);
  shape.decline_start_hour_local = Uniform(rng, 16.0, 18.5);
  shape.decline_end_hour_local = shape.decline_start_hour_local + Uniform(rng, 2.5, 5.0);
  return shape;
}

Region DrawRegion(std::mt19937_64& rng, std::string_view zone_name, const date::time_zone* zone) {
  Region region;
  region.zone_name = std::string(zone_name);
  region.zone = zone;
  region.shape = DrawDailyShape(rng);
  region.weekend_factor = Uniform(rng, 0.25, 0.75);
  // Quarter hours: install schedules are set on a clock, not to the minute.
  region.install_hour_local = std::round(Uniform(rng, 1.0, 5.0) * 4) / 4;
  region.install_to_login = Minutes(Uniform(rng, 10, 45));
  region.reboot_spread = Minutes(LogUniform(rng, 10, 180));
  region.automatic_share = Uniform(rng, 0.2, 0.9);
  region.powered_off_share = Uniform(rng, 0.1, 0.5);
  region.morning_boot_hour_local = Uniform(rng, 7.5, 9.5);
  region.morning_spread = Minutes(Uniform(rng, 30, 90));
  return region;
}

// 2..5 distinct zones; shares from a Dirichlet(2, ..., 2), so that no region is negligible.
Result<std::vector<Region>> DrawRegions(std::mt19937_64& rng) {
  const int count = std::uniform_int_distribution<int>(2, 5)(rng);
  std::array<std::string_view, kZoneNames.size()> names = kZoneNames;
  std::shuffle(names.begin(), names.end(), rng);
  std::vector<Region> regions;
  double total_weight = 0;
  for (int r = 0; r < count; ++r) {
    auto zone = calendars::LocateZone(names[static_cast<std::size_t>(r)]);
    if (!zone) return zone.error();
    Region region = DrawRegion(rng, names[static_cast<std::size_t>(r)], *zone);
    region.user_share = std::gamma_distribution<double>(2.0, 1.0)(rng);
    total_weight += region.user_share;
    regions.push_back(std::move(region));
  }
  for (Region& region : regions) region.user_share /= total_weight;
  return regions;
}

// Up to three rings near +2, +7 and +14 days, each present with probability 0.8 (at least one),
// sharing the managed machines that comply (50..100 %).
std::vector<Ring> DrawRings(std::mt19937_64& rng) {
  const std::array<std::pair<int, int>, 3> delay_days = {{{1, 3}, {6, 8}, {13, 15}}};
  std::vector<Ring> rings;
  double total_weight = 0;
  for (const auto& [lo, hi] : delay_days) {
    const int delay = std::uniform_int_distribution<int>(lo, hi)(rng);
    const double weight = std::gamma_distribution<double>(1.5, 1.0)(rng);
    if (!Chance(rng, 0.8)) continue;
    rings.push_back(Ring{date::days{delay}, weight});
    total_weight += weight;
  }
  if (rings.empty()) {
    rings.push_back(Ring{date::days{7}, 1.0});
    total_weight = 1.0;
  }
  const double compliance = Uniform(rng, 0.5, 1.0);
  for (Ring& ring : rings) ring.share *= compliance / total_weight;
  return rings;
}

SurgeSize DrawSurgeSize(std::mt19937_64& rng) {
  SurgeSize size;
  size.median_share = Uniform(rng, 0.35, 0.8);
  size.bulletin_elasticity = Uniform(rng, 0.1, 0.5);
  size.non_critical_factor = Uniform(rng, 0.5, 0.9);
  size.no_restart_factor = Uniform(rng, 0.08, 0.25);
  size.out_of_band_factor = Uniform(rng, 0.2, 0.6);
  size.unexplained_log_sd = Uniform(rng, 0.15, 0.4);
  return size;
}

// ---- The expected logins ----

// 0 at or before `lo`, 1 at or after `hi`, a half cosine between.
double Ramp(double lo, double hi, double x) {
  if (x <= lo) return 0;
  if (x >= hi) return 1;
  return 0.5 - 0.5 * std::cos(std::numbers::pi * (x - lo) / (hi - lo));
}

double ShapeAt(const DailyShape& shape, double hour_local) {
  const double day =
      Ramp(shape.ramp_start_hour_local, shape.ramp_end_hour_local, hour_local) *
      (1 - Ramp(shape.decline_start_hour_local, shape.decline_end_hour_local, hour_local));
  const double lunch_z = (hour_local - shape.lunch_hour_local) / 0.75;
  const double lunch = 1 - shape.lunch_dip * std::exp(-0.5 * lunch_z * lunch_z);
  return shape.night_floor + (1 - shape.night_floor) * day * lunch;
}

// The shape's mean over a weekday (minute midpoints), so that a region's weekday mean rate is its
// share of the base level.
double WeekdayMean(const DailyShape& shape) {
  double sum = 0;
  for (int minute = 0; minute < 1440; ++minute) sum += ShapeAt(shape, (minute + 0.5) / 60.0);
  return sum / 1440.0;
}

bool IsWeekend(date::local_days day) {
  const date::weekday weekday{day};
  return weekday == date::Saturday || weekday == date::Sunday;
}

double MachinesOf(const Scenario& scenario, const Region& region) {
  return scenario.base_logins_per_hour * 24 * region.user_share /
         scenario.logins_per_machine_per_day;
}

// The slow changes of the level, multiplicative: a random walk of the log level through knots 30
// days apart (drift) and an AR(1) of the log level through hourly knots (correlated noise), both
// interpolated linearly and drawn from `from` on, so they do not depend on the step.
class LevelPath {
 public:
  LevelPath(const Scenario& scenario, sys_seconds from, sys_seconds to) : from_(from) {
    std::mt19937_64 drift_rng = StreamRng(scenario.seed, Stream::kDrift);
    const auto drift_knots = static_cast<std::size_t>((to - from) / kDriftKnotSpacing) + 2;
    drift_log_.push_back(0);
    for (std::size_t k = 1; k < drift_knots; ++k) {
      drift_log_.push_back(drift_log_.back() + scenario.drift_per_month_mean +
                           scenario.drift_per_month_sd * StandardNormal(drift_rng));
    }
    std::mt19937_64 noise_rng = StreamRng(scenario.seed, Stream::kSlowNoise);
    const auto noise_knots = static_cast<std::size_t>((to - from) / hours{1}) + 2;
    const double keep = std::exp(-1.0 / scenario.slow_noise_hours);  // AR(1) coefficient per hour
    const double innovation = scenario.slow_noise_sd * std::sqrt(1 - keep * keep);
    noise_log_.push_back(scenario.slow_noise_sd * StandardNormal(noise_rng));
    for (std::size_t k = 1; k < noise_knots; ++k) {
      noise_log_.push_back(keep * noise_log_.back() + innovation * StandardNormal(noise_rng));
    }
  }

  // The drift's factor at `t` (1 at `from`); clamped to the first and last knots outside them.
  double Drift(sys_seconds t) const {
    return std::exp(Interpolate(drift_log_, t, kDriftKnotSpacing));
  }
  double SlowNoise(sys_seconds t) const { return std::exp(Interpolate(noise_log_, t, hours{1})); }

 private:
  double Interpolate(const std::vector<double>& knots, sys_seconds t, seconds spacing) const {
    const double position =
        std::clamp(static_cast<double>((t - from_).count()) / static_cast<double>(spacing.count()),
                   0.0, static_cast<double>(knots.size() - 1));
    const auto k = std::min(static_cast<std::size_t>(position), knots.size() - 2);
    const double w = position - static_cast<double>(k);
    return knots[k] * (1 - w) + knots[k + 1] * w;
  }

  sys_seconds from_;
  std::vector<double> drift_log_;
  std::vector<double> noise_log_;
};

// The users' own logins: each region's shape at the step's midpoint in its local time, its
// weekend factor, times the level's drift and slow noise.
std::vector<double> ExpectedBaseline(const Scenario& scenario, const LevelPath& level,
                                     const forecasting::RegularSeries& grid, std::size_t steps) {
  std::vector<double> expected(steps, 0.0);
  const double step_hours = Hours(grid.step);
  for (const Region& region : scenario.regions) {
    cal::ZoneConverter converter(*region.zone);
    const double logins_per_hour_at_plateau =
        scenario.base_logins_per_hour * region.user_share / WeekdayMean(region.shape);
    for (std::size_t i = 0; i < steps; ++i) {
      const date::local_seconds local = converter.ToLocal(grid.TimeAt(i) + grid.step / 2);
      const date::local_days day = date::floor<date::days>(local);
      const double hour_local = Hours(local - day);
      const double weekly = IsWeekend(day) ? region.weekend_factor : 1.0;
      expected[i] +=
          logins_per_hour_at_plateau * ShapeAt(region.shape, hour_local) * weekly * step_hours;
    }
  }
  for (std::size_t i = 0; i < steps; ++i) {
    const sys_seconds mid = grid.TimeAt(i) + grid.step / 2;
    expected[i] *= level.Drift(mid) * level.SlowNoise(mid);
  }
  return expected;
}

// Logins spread normally around `center`.
struct Pulse {
  sys_seconds center{};
  seconds spread{};
  double logins = 0;
};

// The first instant strictly after `after` at `hour_local` on a local day (any day, or Monday to
// Friday when `working_days_only`), resolved as zone.h does across DST changes.
date::local_seconds NextLocalTime(cal::ZoneConverter& converter, sys_seconds after,
                                  double hour_local, bool working_days_only) {
  const seconds time_of_day{std::llround(hour_local * kSecondsPerHour)};
  date::local_days day = date::floor<date::days>(converter.ToLocal(after));
  while ((working_days_only && IsWeekend(day)) || converter.ToSys(day + time_of_day) <= after) {
    day += date::days{1};
  }
  return day + time_of_day;
}

// Share of machines that have detected the release `elapsed_hours` after it became available:
// exponential with mean `mean_hours`, truncated at `max_hours` (everyone has it by then).
double DetectedBy(double elapsed_hours, double mean_hours, double max_hours) {
  if (elapsed_hours <= 0) return 0;
  if (elapsed_hours >= max_hours) return 1;
  return (1 - std::exp(-elapsed_hours / mean_hours)) / (1 - std::exp(-max_hours / mean_hours));
}

// The restarts of `machines` machines of `region` that can take an update from `available`:
// those switched on restart at the install hour of the first night after they detect it (the
// spike repeats on the next nights); those switched off restart after their boot on the first
// working morning after the first install night.
void AppendWave(const Region& region, cal::ZoneConverter& converter, sys_seconds available,
                double machines, double detection_mean_hours, double detection_max_hours,
                std::vector<Pulse>& pulses) {
  const double switched_on = machines * (1 - region.powered_off_share);
  const date::local_seconds first_night =
      NextLocalTime(converter, available, region.install_hour_local, false);
  double detected_before = 0;
  // Nights are at least 23 h apart, so detection is complete by the fourth.
  for (int night = 0; night < 4 && detected_before < 1; ++night) {
    const sys_seconds install = converter.ToSys(first_night + date::days{night});
    const double detected =
        DetectedBy(Hours(install - available), detection_mean_hours, detection_max_hours);
    if (detected > detected_before) {
      pulses.push_back({install + region.install_to_login, region.reboot_spread,
                        switched_on * (detected - detected_before)});
    }
    detected_before = detected;
  }
  const sys_seconds boot = converter.ToSys(
      NextLocalTime(converter, converter.ToSys(first_night), region.morning_boot_hour_local, true));
  pulses.push_back(
      {boot + region.install_to_login, region.morning_spread, machines * region.powered_off_share});
}

// Every region's automatic wave from the release on, and each ring's wave after its delay.
void AppendReleasePulses(const Scenario& scenario, sys_seconds release, double restart_share,
                         std::vector<Pulse>& pulses) {
  for (const Region& region : scenario.regions) {
    cal::ZoneConverter converter(*region.zone);
    const double machines = MachinesOf(scenario, region) * restart_share;
    AppendWave(region, converter, release, machines * region.automatic_share,
               scenario.detection_mean_hours, kAutomaticDetectionMaxHours, pulses);
    for (const Ring& ring : scenario.rings) {
      AppendWave(region, converter, release + ring.delay,
                 machines * (1 - region.automatic_share) * ring.share,
                 scenario.managed_detection_mean_hours, kManagedDetectionMaxHours, pulses);
    }
  }
}

double StandardNormalCdf(double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

// Adds the pulse's logins to the steps it reaches, each the normal mass within the step, times
// the drift at its centre (the fleet grows with the users).
void AddPulse(const Pulse& pulse, double drift, const forecasting::RegularSeries& grid,
              std::vector<double>& expected) {
  const double sd = static_cast<double>(pulse.spread.count());
  const double step = static_cast<double>(grid.step.count());
  const double center = static_cast<double>((pulse.center - grid.start).count());
  const double first = std::floor((center - kPulseReachSds * sd) / step);
  const double last = std::ceil((center + kPulseReachSds * sd) / step);
  const auto steps = static_cast<double>(expected.size());
  for (double i = std::max(first, 0.0); i < std::min(last, steps); ++i) {
    const double z = (i * step - center) / sd;
    const double mass = StandardNormalCdf(z + step / sd) - StandardNormalCdf(z);
    expected[static_cast<std::size_t>(i)] += pulse.logins * drift * mass;
  }
}

ReleaseAnnotation DrawAnnotation(const cal::Event& event, std::mt19937_64& rng) {
  const bool out_of_band = event.kind == cal::EventKind::kOutOfBand;
  ReleaseAnnotation annotation;
  annotation.event_id = event.Id();
  // Always drawn, so that the stream does not depend on whether the calendar knows the count.
  const int drawn_bulletins = 1 + std::poisson_distribution<int>(out_of_band ? 0.3 : 5.0)(rng);
  annotation.bulletins = event.bulletins.value_or(drawn_bulletins);
  annotation.max_severity =
      Chance(rng, out_of_band ? 0.9 : 0.65) ? cal::Severity::kCritical : cal::Severity::kImportant;
  annotation.restart_required = Chance(rng, out_of_band ? 0.8 : 0.85);
  return annotation;
}

// The share of eligible machines the release restarts (SurgeSize's formula).
double RestartShare(const SurgeSize& size, const cal::Event& event,
                    const ReleaseAnnotation& annotation, std::mt19937_64& rng) {
  double share = size.median_share *
                 std::pow(std::max(annotation.bulletins, 1) / SurgeSize::kReferenceBulletins,
                          size.bulletin_elasticity);
  if (annotation.max_severity != cal::Severity::kCritical) share *= size.non_critical_factor;
  if (!annotation.restart_required) share *= size.no_restart_factor;
  if (event.kind == cal::EventKind::kOutOfBand) share *= size.out_of_band_factor;
  share *= std::exp(size.unexplained_log_sd * StandardNormal(rng));
  return std::min(share, 1.0);
}

bool IsRelease(const cal::Event& event) {
  return event.kind == cal::EventKind::kRelease || event.kind == cal::EventKind::kOutOfBand;
}

// Annotates every release of `events` and adds the restarts of those that reach the range.
std::vector<ReleaseAnnotation> AddReleaseSurges(const Scenario& scenario,
                                                std::span<const cal::Event> events,
                                                const LevelPath& level,
                                                const forecasting::RegularSeries& grid,
                                                std::vector<double>& expected) {
  std::vector<const cal::Event*> releases;
  for (const cal::Event& event : events) {
    if (IsRelease(event)) releases.push_back(&event);
  }
  std::stable_sort(releases.begin(), releases.end(),
                   [](const cal::Event* a, const cal::Event* b) { return a->start < b->start; });
  const sys_seconds to = grid.TimeAt(expected.size());
  std::vector<ReleaseAnnotation> annotations;
  std::vector<Pulse> pulses;
  for (const cal::Event* event : releases) {
    ReleaseAnnotation annotation = AnnotateRelease(scenario, *event);
    if (event->start < to && event->start + scenario.EffectSpan() > grid.start) {
      AppendReleasePulses(scenario, event->start, annotation.restart_share, pulses);
    }
    annotations.push_back(std::move(annotation));
  }
  for (const Pulse& pulse : pulses) AddPulse(pulse, level.Drift(pulse.center), grid, expected);
  return annotations;
}

// ---- What is observed ----

struct Incident {
  sys_seconds start{};
  seconds duration{};
  double depth = 0;  // outages: the share of logins still counted
};

// A Poisson process of incidents over [from, to) at `per_30_days`, each drawn by `draw`.
template <typename DrawIncident>
std::vector<Incident> DrawIncidents(std::mt19937_64& rng, sys_seconds from, sys_seconds to,
                                    double per_30_days, DrawIncident draw) {
  std::vector<Incident> incidents;
  std::exponential_distribution<double> wait(per_30_days / (30 * 86'400.0));
  for (double t = wait(rng); t < static_cast<double>((to - from).count()); t += wait(rng)) {
    Incident incident = draw(rng);
    incident.start = from + seconds{std::llround(t)};
    incidents.push_back(incident);
  }
  return incidents;
}

// The logins a step loses to outages: the share of it each outage covers, down to its depth.
std::vector<double> OutageFactors(const std::vector<Incident>& outages,
                                  const forecasting::RegularSeries& grid, std::size_t steps) {
  std::vector<double> factor(steps, 1.0);
  const std::int64_t step = grid.step.count();
  for (const Incident& outage : outages) {
    const std::int64_t begin = (outage.start - grid.start).count();
    const std::int64_t end = begin + outage.duration.count();
    for (std::int64_t i = std::max<std::int64_t>(begin / step, 0);
         i < std::min<std::int64_t>(end / step + 1, static_cast<std::int64_t>(steps)); ++i) {
      const std::int64_t covered = std::min(end, (i + 1) * step) - std::max(begin, i * step);
      if (covered <= 0) continue;
      const double share = static_cast<double>(covered) / static_cast<double>(step);
      factor[static_cast<std::size_t>(i)] *= 1 - share * (1 - outage.depth);
    }
  }
  return factor;
}

// A count with mean `mean`: Poisson, or its normal approximation for large means.
double Count(std::mt19937_64& rng, double mean) {
  if (mean <= 0) return 0;
  if (mean < kPoissonExactBelow) {
    return static_cast<double>(std::poisson_distribution<long long>(mean)(rng));
  }
  return std::max(0.0, std::round(mean + std::sqrt(mean) * StandardNormal(rng)));
}

// Outages, counting noise, and gaps: a step whose midpoint falls in a gap is missing. Sets
// out.series.values and out.outage_kept from out.expected.
void Observe(const Scenario& scenario, IndependentTelemetry& out) {
  const std::vector<double>& expected = out.expected;
  const forecasting::RegularSeries& grid = out.series;
  const sys_seconds to = grid.TimeAt(expected.size());
  std::mt19937_64 outage_rng = StreamRng(scenario.seed, Stream::kOutages);
  const std::vector<Incident> outages = DrawIncidents(
      outage_rng, grid.start, to, scenario.outages_per_30_days, [](std::mt19937_64& rng) {
        return Incident{{}, Minutes(Uniform(rng, 60, 300)), Uniform(rng, 0, 0.08)};
      });
  std::mt19937_64 gap_rng = StreamRng(scenario.seed, Stream::kGaps);
  const std::vector<Incident> gaps =
      DrawIncidents(gap_rng, grid.start, to, scenario.gaps_per_30_days, [](std::mt19937_64& rng) {
        return Incident{{}, Minutes(LogUniform(rng, 10, 480)), 0};
      });

  out.outage_kept = OutageFactors(outages, grid, expected.size());
  std::mt19937_64 counting_rng =
      StreamRng(scenario.seed, Stream::kCounting, static_cast<std::uint64_t>(grid.step.count()));
  std::vector<double> observed(expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    observed[i] = Count(counting_rng, expected[i] * out.outage_kept[i]);
  }
  const std::int64_t step = grid.step.count();
  for (const Incident& gap : gaps) {
    // Steps i with start + (i + 1/2) step in [gap start, gap end).
    const std::int64_t begin = 2 * (gap.start - grid.start).count();
    const std::int64_t end = begin + 2 * gap.duration.count();
    const std::int64_t first =
        std::max<std::int64_t>((begin - step + 2 * step - 1) / (2 * step), 0);
    const std::int64_t last = std::min<std::int64_t>((end - step + 2 * step - 1) / (2 * step),
                                                     static_cast<std::int64_t>(observed.size()));
    for (std::int64_t i = first; i < last; ++i) {
      observed[static_cast<std::size_t>(i)] = forecasting::kMissing;
    }
  }
  out.series.values = std::move(observed);
}

Status Validate(const Scenario& scenario, sys_seconds from, sys_seconds to, seconds step) {
  if (step.count() <= 0 || 86'400 % step.count() != 0) {
    return InvalidArgument("step of " + std::to_string(step.count()) +
                           " s does not divide a day (86400 s) evenly");
  }
  if (from.time_since_epoch().count() % step.count() != 0) {
    return InvalidArgument("range start is not a multiple of the " + std::to_string(step.count()) +
                           " s step since the epoch");
  }
  if (to <= from) return InvalidArgument("range end is not after its start");
  if (scenario.regions.empty()) return InvalidArgument("the scenario has no regions");
  for (const Region& region : scenario.regions) {
    if (region.zone == nullptr) {
      return InvalidArgument("region '" + region.zone_name + "' has no zone");
    }
  }
  return {};
}

}  // namespace

ReleaseAnnotation AnnotateRelease(const Scenario& scenario, const calendars::Event& release) {
  // Seeded by the release's instant: its size does not depend on the range generated.
  std::mt19937_64 rng =
      StreamRng(scenario.seed, Stream::kRelease,
                static_cast<std::uint64_t>(release.start.time_since_epoch().count()));
  ReleaseAnnotation annotation = DrawAnnotation(release, rng);
  annotation.restart_share = RestartShare(scenario.size, release, annotation, rng);
  return annotation;
}

std::vector<forecasting::ZoneShare> Scenario::ZoneMix() const {
  std::vector<forecasting::ZoneShare> mix;
  for (const Region& region : regions) mix.push_back({region.zone_name, region.user_share});
  return mix;
}

std::chrono::seconds Scenario::EffectSpan() const {
  date::days last_ring{0};
  for (const Ring& ring : rings) last_ring = std::max(last_ring, ring.delay);
  // Detection (<= 48 h), the install night, a weekend before the working morning, and the
  // morning's spread and the longest night spike's reach.
  return last_ring + date::days{5};
}

Result<Scenario> DrawScenario(std::uint64_t seed) {
  std::mt19937_64 rng = StreamRng(seed, Stream::kParameters);
  Scenario scenario;
  scenario.seed = seed;
  auto regions = DrawRegions(rng);
  if (!regions) return regions.error();
  scenario.regions = std::move(*regions);
  scenario.base_logins_per_hour = LogUniform(rng, 1'000, 50'000);
  // A login service's session usually lasts the working day: one to three logins per machine.
  scenario.logins_per_machine_per_day = Uniform(rng, 1, 3);
  scenario.detection_mean_hours = Uniform(rng, 4, 18);
  scenario.managed_detection_mean_hours = Uniform(rng, 1, 6);
  scenario.rings = DrawRings(rng);
  scenario.size = DrawSurgeSize(rng);
  scenario.drift_per_month_mean = Uniform(rng, -0.02, 0.03);
  scenario.drift_per_month_sd = Uniform(rng, 0.005, 0.03);
  scenario.slow_noise_sd = Uniform(rng, 0.02, 0.06);
  scenario.slow_noise_hours = Uniform(rng, 2, 12);
  scenario.outages_per_30_days = Uniform(rng, 0.2, 1.0);
  scenario.gaps_per_30_days = Uniform(rng, 0.3, 1.5);
  return scenario;
}

Result<IndependentTelemetry> GenerateIndependentTelemetry(const Scenario& scenario,
                                                          std::span<const calendars::Event> events,
                                                          std::chrono::sys_seconds from,
                                                          std::chrono::sys_seconds to,
                                                          std::chrono::seconds step) {
  if (Status valid = Validate(scenario, from, to, step); !valid) return valid.error();
  const auto steps = static_cast<std::size_t>((to - from + step - seconds{1}) / step);
  IndependentTelemetry out;
  out.series.start = from;
  out.series.step = step;
  const LevelPath level(scenario, from, to);
  out.baseline = ExpectedBaseline(scenario, level, out.series, steps);
  out.expected = out.baseline;
  out.annotations = AddReleaseSurges(scenario, events, level, out.series, out.expected);
  Observe(scenario, out);
  return out;
}

std::vector<calendars::Event> EventsAsTold(std::span<const calendars::Event> events,
                                           std::span<const ReleaseAnnotation> annotations,
                                           AnnotationCondition condition) {
  std::unordered_map<std::string, const ReleaseAnnotation*> by_id;
  for (const ReleaseAnnotation& annotation : annotations) by_id[annotation.event_id] = &annotation;
  std::vector<calendars::Event> told(events.begin(), events.end());
  for (calendars::Event& event : told) {
    event.bulletins.reset();
    event.max_severity.reset();
    event.restart_required.reset();
    if (condition == AnnotationCondition::kNoAnnotations) continue;
    const auto it = by_id.find(event.Id());
    if (it == by_id.end()) continue;
    event.bulletins = it->second->bulletins;
    event.max_severity = it->second->max_severity;
    event.restart_required = it->second->restart_required;
  }
  return told;
}

}  // namespace patchcast::bench
