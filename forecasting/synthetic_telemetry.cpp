#include "forecasting/synthetic_telemetry.h"

#include <cmath>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

#include "calendars/zone.h"

namespace patchcast::forecasting {
namespace {

constexpr std::int64_t kSecondsPerDay = 86'400;

// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and the same everywhere.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform on (0, 1).
  double Uniform() { return (static_cast<double>(Next() >> 11) + 0.5) * 0x1.0p-53; }
  // Standard normal (Box-Muller; the second value is dropped for simplicity).
  double Normal() {
    const double u = Uniform();
    const double v = Uniform();
    return std::sqrt(-2 * std::log(u)) * std::cos(2 * std::numbers::pi * v);
  }

 private:
  std::uint64_t state_;
};

double Bump(double hour, double centre, double width) {
  const double d = (hour - centre) / width;
  return std::exp(-0.5 * d * d);
}

// Relative login rate at a local hour of a weekday or weekend day (not normalized).
double DailyShape(double hour, bool weekend) {
  if (weekend) {
    return 0.12 + 0.7 * Bump(hour, 11.5, 2.5) + 0.8 * Bump(hour, 16.5, 3.0) +
           0.6 * Bump(hour, 21.0, 1.5);
  }
  return 0.1 + 1.0 * Bump(hour, 9.5, 1.8) + 0.85 * Bump(hour, 14.5, 2.5) +
         0.45 * Bump(hour, 20.5, 1.5);
}

// Daily logins at t: options.logins_per_day with the linear trend from options.start.
double DailyLogins(const SyntheticOptions& options, std::chrono::sys_seconds t) {
  const double years =
      std::chrono::duration<double>(t - options.start).count() / (365.25 * kSecondsPerDay);
  return options.logins_per_day * (1 + options.trend_per_year * years);
}

Result<std::vector<ZoneWeight>> LocateRegions(const std::vector<ZoneShare>& regions) {
  std::vector<ZoneWeight> zones;
  for (std::size_t r = 0; r < regions.size(); ++r) {
    Result<const date::time_zone*> zone = calendars::LocateZone(regions[r].timezone);
    if (!zone) {
      return InvalidArgument("regions[" + std::to_string(r) + "]: " + zone.error().message);
    }
    zones.push_back({*zone, regions[r].share});
  }
  return zones;
}

// The factor that turns DailyShape into a rate relative to the mean, so that a week of weekdays
// and weekend days averages one day's logins per day.
double PerDayScale(double weekend_factor) {
  double week_sum = 0;
  constexpr int kSamples = 288;
  for (int day = 0; day < 7; ++day) {
    for (int s = 0; s < kSamples; ++s) {
      const double hour = 24.0 * (s + 0.5) / kSamples;
      week_sum += DailyShape(hour, day >= 5) * (day >= 5 ? weekend_factor : 1.0);
    }
  }
  return 7.0 * kSamples / week_sum;
}

// Each region's users follow the daily shape on their own local clock.
void FillBaseline(const SyntheticOptions& options, const std::vector<ZoneWeight>& zones,
                  std::vector<double>& baseline) {
  const double per_day_scale = PerDayScale(options.weekend_factor);
  const double steps_per_day = static_cast<double>(kSecondsPerDay / options.step.count());
  for (const ZoneWeight& zone : zones) {
    calendars::ZoneConverter converter(*zone.zone);
    for (std::size_t i = 0; i < baseline.size(); ++i) {
      const std::chrono::sys_seconds t =
          options.start + options.step * static_cast<std::int64_t>(i) + options.step / 2;
      const date::local_seconds local = converter.ToLocal(t);
      const date::local_days day = date::floor<date::days>(local);
      const double hour = std::chrono::duration<double>(local - day).count() / 3600;
      const unsigned weekday = date::weekday{day}.iso_encoding();  // Monday 1 .. Sunday 7
      const bool weekend = weekday >= 6;
      const double rate =
          DailyShape(hour, weekend) * (weekend ? options.weekend_factor : 1.0) * per_day_scale;
      baseline[i] += zone.share * rate * DailyLogins(options, t) / steps_per_day;
    }
  }
}

// Severity and restart for the releases that do not say: two draws per release whether used or
// not, so that one does not shift the other. Out-of-band releases are critical and restart.
void AnnotateReleases(const SyntheticOptions& options, std::vector<calendars::Event>& events) {
  Random annotation_random(options.seed ^ 0xa11075eeULL);
  for (calendars::Event& event : events) {
    if (event.kind == calendars::EventKind::kOutOfBand) {
      if (!event.max_severity) event.max_severity = calendars::Severity::kCritical;
      if (!event.restart_required) event.restart_required = true;
    }
    if (event.kind != calendars::EventKind::kRelease) continue;
    const double critical = annotation_random.Uniform();
    const double no_restart = annotation_random.Uniform();
    if (!event.max_severity) {
      event.max_severity = critical < options.critical_share ? calendars::Severity::kCritical
                                                             : calendars::Severity::kImportant;
    }
    if (!event.restart_required) event.restart_required = no_restart >= options.no_restart_share;
  }
}

// A release's size relative to a median one: its bulletins, severity and restart, not its noise.
double AnnouncedSize(const SyntheticOptions& options, const calendars::Event& event) {
  const bool release = event.kind == calendars::EventKind::kRelease;
  const double bulletins = release ? (event.bulletins ? *event.bulletins : options.mean_bulletins)
                                   : options.mean_bulletins * options.out_of_band_size;
  double severity =
      1 - options.severity_weight + options.severity_weight * bulletins / options.mean_bulletins;
  if (event.max_severity && *event.max_severity != calendars::Severity::kCritical) {
    severity *= options.non_critical_size;
  }
  if (event.restart_required == false) severity *= options.no_restart_size;
  return severity;
}

// Surges: the reboot physics per release, sized by AnnouncedSize times a seeded size factor.
void AddSurges(const SyntheticOptions& options, const std::vector<ZoneWeight>& zones,
               const std::vector<calendars::Event>& events, std::vector<double>& surge) {
  const std::int64_t step = options.step.count();
  const auto count = static_cast<std::int64_t>(surge.size());
  Random size_random(options.seed ^ 0x5eed5eedULL);
  for (const calendars::Event& event : events) {
    const bool release = event.kind == calendars::EventKind::kRelease;
    if (!release && event.kind != calendars::EventKind::kOutOfBand) continue;
    const double size =
        AnnouncedSize(options, event) * std::exp(options.size_log_sd * size_random.Normal());
    const std::int64_t index = (event.start - options.start).count() / step -
                               ((event.start - options.start).count() % step < 0 ? 1 : 0);
    const std::int64_t before = 2 * kSecondsPerDay / step;
    const std::int64_t after = 10 * kSecondsPerDay / step;
    if (index + after < 0 || index - before >= count) continue;
    const std::chrono::sys_seconds step_start = options.start + options.step * index;
    const std::vector<double> shape =
        RebootWaveShape(event.start, step_start, options.step, -before,
                        static_cast<std::size_t>(before + after + 1), zones, options.surge_physics);
    const double logins = DailyLogins(options, event.start) * size;
    for (std::size_t k = 0; k < shape.size(); ++k) {
      const std::int64_t i = index - before + static_cast<std::int64_t>(k);
      if (i < 0 || i >= count) continue;
      surge[static_cast<std::size_t>(i)] += shape[k] * logins;
    }
  }
}

// The observed series: (baseline + surge) times log-normal noise, then the dips and gaps.
void Observe(const SyntheticOptions& options, SyntheticTelemetry& out) {
  Random noise(options.seed);
  const double sd =
      options.noise_log_sd_hourly * std::sqrt(3600.0 / static_cast<double>(options.step.count()));
  for (std::size_t i = 0; i < out.series.values.size(); ++i) {
    double value = (out.baseline[i] + out.surge[i]) * std::exp(sd * noise.Normal() - sd * sd / 2);
    const std::chrono::sys_seconds t = options.start + options.step * static_cast<std::int64_t>(i);
    for (const SyntheticInterval& dip : options.dips) {
      if (dip.start <= t && t < dip.start + dip.duration) value *= dip.factor;
    }
    for (const SyntheticInterval& gap : options.gaps) {
      if (gap.start <= t && t < gap.start + gap.duration) value = kMissing;
    }
    out.series.values[i] = value;
  }
}

}  // namespace

Result<SyntheticTelemetry> GenerateSyntheticTelemetry(const SyntheticOptions& options,
                                                      std::span<const calendars::Event> events) {
  const std::int64_t step = options.step.count();
  if (step <= 0 || kSecondsPerDay % step != 0) {
    return InvalidArgument("step of " + std::to_string(step) + " s does not divide a day");
  }
  if (options.start >= options.end || options.start.time_since_epoch().count() % step != 0) {
    return InvalidArgument("start must be before end and on the step grid");
  }
  const std::int64_t count_signed = (options.end - options.start).count() / step;
  if (count_signed > 10'000'000) return InvalidArgument("more than 10 million steps");
  const auto count = static_cast<std::size_t>(count_signed);
  Result<std::vector<ZoneWeight>> zones = LocateRegions(options.regions);
  if (!zones) return std::move(zones).error();

  SyntheticTelemetry out;
  out.series.start = options.start;
  out.series.step = options.step;
  out.series.values.resize(count);
  out.baseline.assign(count, 0);
  out.surge.assign(count, 0);
  FillBaseline(options, *zones, out.baseline);
  out.events.assign(events.begin(), events.end());
  if (options.annotate) AnnotateReleases(options, out.events);
  AddSurges(options, *zones, out.events, out.surge);
  Observe(options, out);
  return out;
}

}  // namespace patchcast::forecasting
