// Issue 15, part 3: following the sun. A release's wave reaches each zone of a fleet in turn; ten
// hours in, the first zones' waves are in and the later zones' are still to come. How well is the
// peak of the next 24 hours forecast from the advance notice (the Thursday before, as planned),
// and how well once updated from what the first zones showed (a forecast as of ten hours in, with
// the points so far)? On bench/family's independent telemetry (a second generator, not written
// with the model), 30 drawn fleets per family, hourly, a year of history:
//   - annotated: the releases' bulletins, severity and restart flag told, sizes partly unexplained;
//   - 1.5x and 0.6x: the target release's surge made 1.5 or 0.6 times what the fleet would do, a
//     size no annotation explains;
//   - no annotations.
// Prints, per family, the median and 90th percentile of the absolute error of the next 24 hours'
// peak for both forecasts, and the share of draws the update improved. From the repository root:
//   build/follow_the_sun_bench [--draws N]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/bench_support.h"
#include "bench/family/independent_telemetry.h"
#include "calendars/zone.h"
#include "forecasting/forecast.h"

namespace {

namespace cal = patchcast::calendars;
namespace fc = patchcast::forecasting;
namespace pb = patchcast::bench;
using std::chrono::hours;
using std::chrono::sys_seconds;

constexpr hours kIntoRelease{10};
constexpr hours kAhead{24};
constexpr std::chrono::days kNoticeBefore{5};  // the advance-notice Thursday before a Tuesday

struct Family {
  const char* name;
  pb::AnnotationCondition told;
  double surge_factor;  // the target release's surge, times what the fleet would do
};

constexpr Family kFamilies[] = {
    {"annotated", pb::AnnotationCondition::kAnnotated, 1.0},
    {"1.5x unexplained", pb::AnnotationCondition::kAnnotated, 1.5},
    {"0.6x unexplained", pb::AnnotationCondition::kAnnotated, 0.6},
    {"no annotations", pb::AnnotationCondition::kNoAnnotations, 1.0},
};

// Monthly releases on the second Tuesday at 18:00Z (10:00 Pacific in winter), from November 2025
// to November 2026; the last is the target.
std::vector<cal::Event> Releases() {
  std::vector<cal::Event> events;
  const auto& utc = **cal::LocateZone("UTC");
  for (int m = 0; m < 13; ++m) {
    const date::year_month ym = date::year{2025} / date::November + date::months{m};
    cal::Event event;
    event.calendar_id = "microsoft";
    event.kind = cal::EventKind::kRelease;
    event.start =
        sys_seconds{date::sys_days{ym.year() / ym.month() / date::Tuesday[2]}} + hours{18};
    event.local_start = date::local_seconds{event.start.time_since_epoch()};
    event.zone = &utc;
    event.scheduled_date = date::floor<date::days>(event.local_start);
    events.push_back(event);
  }
  return events;
}

struct Draw {
  double notice_error = NAN;   // (forecast peak - true peak) / true peak, from the notice
  double updated_error = NAN;  // the same, ten hours into the release
};

// The largest p50 the forecast gives in [from, from + kAhead).
double PeakAhead(const fc::Forecast& forecast, sys_seconds from) {
  double peak = 0;
  for (const fc::ForecastPoint& point : forecast.points) {
    if (point.ts >= from && point.ts < from + kAhead) peak = std::max(peak, point.quantiles[0]);
  }
  return peak;
}

// The series up to `end` (exclusive).
fc::RegularSeries Until(const fc::RegularSeries& series, sys_seconds end) {
  fc::RegularSeries cut = series;
  const auto steps = static_cast<std::size_t>((end - series.start) / series.step);
  cut.values.resize(std::min(steps, cut.values.size()));
  return cut;
}

std::optional<double> ForecastPeak(const fc::RegularSeries& series,
                                   const std::vector<cal::Event>& events,
                                   const std::vector<fc::ZoneShare>& mix, sys_seconds as_of,
                                   sys_seconds from) {
  fc::ForecastOptions options;
  options.as_of = as_of;
  options.horizon = std::chrono::duration_cast<std::chrono::seconds>(from + kAhead - as_of);
  options.zone_mix = mix;
  auto forecast = fc::ForecastDemand(Until(series, as_of), events, options);
  if (!forecast) return std::nullopt;
  return PeakAhead(*forecast, from);
}

std::optional<Draw> RunDraw(std::uint64_t seed, const Family& family,
                            const std::vector<cal::Event>& releases) {
  auto scenario = pb::DrawScenario(seed);
  if (!scenario) return std::nullopt;
  const cal::Event& target = releases.back();
  const sys_seconds from = date::sys_days{date::year{2025} / date::October / 1};
  const sys_seconds to = target.start + date::days{3};
  auto telemetry = pb::GenerateIndependentTelemetry(*scenario, releases, from, to, hours{1});
  if (!telemetry) return std::nullopt;
  // The target's surge made `surge_factor` times itself, in the points and in the truth.
  fc::RegularSeries series = telemetry->series;
  std::vector<double> truth = telemetry->expected;
  for (std::size_t i = 0; i < series.size(); ++i) {
    if (series.TimeAt(i) < target.start) continue;
    const double extra = (family.surge_factor - 1) * (truth[i] - telemetry->baseline[i]);
    truth[i] += extra;
    if (!std::isnan(series.values[i])) series.values[i] = std::max(0.0, series.values[i] + extra);
  }
  const auto events = pb::EventsAsTold(releases, telemetry->annotations, family.told);
  const sys_seconds as_of = target.start + kIntoRelease;
  double true_peak = 0;
  for (std::size_t i = 0; i < series.size(); ++i) {
    if (series.TimeAt(i) >= as_of && series.TimeAt(i) < as_of + kAhead) {
      true_peak = std::max(true_peak, truth[i]);
    }
  }
  const auto mix = scenario->ZoneMix();
  const auto notice = ForecastPeak(series, events, mix, target.start - kNoticeBefore, as_of);
  const auto updated = ForecastPeak(series, events, mix, as_of, as_of);
  if (!notice || !updated || true_peak <= 0) return std::nullopt;
  return Draw{(*notice - true_peak) / true_peak, (*updated - true_peak) / true_peak};
}

double Quantile(std::vector<double> values, double q) {
  if (values.empty()) return NAN;
  std::sort(values.begin(), values.end());
  const auto at = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size()))) - 1;
  return values[std::min(at, values.size() - 1)];
}

void Report(const Family& family, const std::vector<Draw>& draws) {
  std::vector<double> notice, updated;
  int improved = 0;
  for (const Draw& draw : draws) {
    notice.push_back(std::abs(draw.notice_error));
    updated.push_back(std::abs(draw.updated_error));
    improved += std::abs(draw.updated_error) < std::abs(draw.notice_error) ? 1 : 0;
  }
  std::printf("%-18s %5zu   %6.1f %% (%6.1f %%)   %6.1f %% (%6.1f %%)   %5.0f %%\n", family.name,
              draws.size(), 100 * Quantile(notice, 0.5), 100 * Quantile(notice, 0.9),
              100 * Quantile(updated, 0.5), 100 * Quantile(updated, 0.9),
              draws.empty() ? 0.0 : 100.0 * improved / static_cast<double>(draws.size()));
}

}  // namespace

int main(int argc, char** argv) {
  int draws = 30;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--draws") draws = std::atoi(argv[i + 1]);
  }
  std::printf("follow_the_sun_bench on %s (single-threaded)\n", pb::MachineDescription().c_str());
  std::printf("the next 24 hours' peak, 10 hours into a release; |error| median (p90)\n");
  std::printf("%-18s %5s   %-19s   %-19s   %s\n", "family", "draws", "from the notice", "updated",
              "improved");
  const std::vector<cal::Event> releases = Releases();
  for (const Family& family : kFamilies) {
    std::vector<Draw> results;
    for (int seed = 1; seed <= draws; ++seed) {
      if (auto draw = RunDraw(static_cast<std::uint64_t>(seed), family, releases)) {
        results.push_back(*draw);
      }
    }
    Report(family, results);
  }
  return 0;
}
