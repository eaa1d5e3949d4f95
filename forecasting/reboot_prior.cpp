#include "forecasting/reboot_prior.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "calendars/zone.h"
#include "forecasting/robust_stats.h"
#include "forecasting/series.h"

namespace patchcast::forecasting {
namespace {

constexpr int kDetectionBins = 22;  // one per hour of the default detection spread

// Adds `mass` spread as N(mean, sd) (seconds since epoch) over the steps of `out`.
void Deposit(double mean, double sd, double mass, double grid_start, double step_seconds,
             std::vector<double>& out) {
  const double reach = 4 * sd;
  const double first = std::floor((mean - reach - grid_start) / step_seconds);
  const double last = std::ceil((mean + reach - grid_start) / step_seconds);
  const auto n = static_cast<double>(out.size());
  const double lo = std::max(first, 0.0);
  const double hi = std::min(last, n - 1);
  const double scale = 1.0 / (sd * std::sqrt(2.0));
  for (double k = lo; k <= hi; k += 1) {
    const double a = grid_start + k * step_seconds;
    const double mass_in =
        0.5 * (std::erf((a + step_seconds - mean) * scale) - std::erf((a - mean) * scale));
    out[static_cast<std::size_t>(k)] += mass * mass_in;
  }
}

// The kRank-th smallest (from 0) of the products a[i] * b[j], b ascending and positive: each b[j]
// scales a, sorted, into an ascending row, and the rows are merged up to kRank. Exactly the value
// a selection over all the products finds, without forming them (this runs for every step).
template <std::size_t kRank, std::size_t kA, std::size_t kB>
double MiddleProduct(std::array<double, kA> a, const std::array<double, kB>& b) {
  static_assert(kRank < kA * kB);
  std::sort(a.begin(), a.end());
  std::array<std::size_t, kB> next{};  // per row, its first product not yet taken
  double value = 0;
  for (std::size_t taken = 0; taken <= kRank; ++taken) {
    std::size_t row = kB;
    for (std::size_t j = 0; j < kB; ++j) {
      if (next[j] < kA && (row == kB || a[next[j]] * b[j] < a[next[row]] * b[row])) row = j;
    }
    value = a[next[row]] * b[row];
    ++next[row];
  }
  return value;
}

}  // namespace

std::vector<double> RebootWaveShape(std::chrono::sys_seconds release,
                                    std::chrono::sys_seconds step_start, std::chrono::seconds step,
                                    std::int64_t first_offset, std::size_t count,
                                    std::span<const ZoneWeight> zones, const RebootPrior& prior) {
  std::vector<double> out(count, 0.0);
  const auto step_seconds = static_cast<double>(step.count());
  const double grid_start = static_cast<double>(step_start.time_since_epoch().count()) +
                            static_cast<double>(first_offset) * step_seconds;
  const double restart_delay = prior.restart_delay_minutes * 60;
  const double restart_sd = std::max(prior.restart_spread_minutes * 60, 60.0);
  const double morning_sd =
      std::sqrt(std::pow(prior.morning_boot_spread_hours * 3600, 2) + restart_sd * restart_sd);
  const auto install_offset =
      std::chrono::seconds{static_cast<std::int64_t>(std::lround(prior.install_hour_local * 3600))};
  const auto morning_offset = std::chrono::seconds{
      static_cast<std::int64_t>(std::lround(prior.morning_boot_hour_local * 3600))};

  for (const ZoneWeight& weight : zones) {
    if (weight.zone == nullptr || weight.share <= 0) continue;
    calendars::ZoneConverter converter(*weight.zone);
    const double machines = prior.machines_per_daily_login * weight.share;
    const double wave_logins = machines * prior.auto_update_share * prior.logins_per_reboot;
    const double bin_mass = wave_logins / kDetectionBins;
    for (int bin = 0; bin < kDetectionBins; ++bin) {
      const double detected_after = (bin + 0.5) / kDetectionBins * prior.detection_spread_hours;
      const std::chrono::sys_seconds detected =
          release + std::chrono::seconds{static_cast<std::int64_t>(detected_after * 3600)};
      // The next install hour after detection, on the machine's wall clock.
      const date::local_seconds local = converter.ToLocal(detected);
      const date::local_days day = date::floor<date::days>(local);
      date::local_seconds install = day + install_offset;
      if (install <= local) install += date::days{1};
      const date::local_seconds morning =
          date::floor<date::days>(install) + morning_offset +
          (morning_offset <= install_offset ? date::days{1} : date::days{0});
      struct Wave {
        date::local_seconds at;
        double sd;
        double mass;
      };
      const Wave waves[] = {{install, restart_sd, bin_mass * prior.powered_on_share},
                            {morning, morning_sd, bin_mass * (1 - prior.powered_on_share)}};
      for (const Wave& wave : waves) {
        const auto at = [&](date::days shift) {
          return static_cast<double>(converter.ToSys(wave.at + shift).time_since_epoch().count()) +
                 restart_delay;
        };
        Deposit(at(date::days{0}), wave.sd, wave.mass, grid_start, step_seconds, out);
        for (const RingEcho& ring : prior.rings) {
          const date::days shift = date::floor<date::days>(ring.delay);
          Deposit(at(shift), wave.sd, wave.mass * ring.share, grid_start, step_seconds, out);
        }
      }
    }
  }
  return out;
}

namespace {

// The shortest text that reads back as `value`: "0.5", "24", "1e+15".
std::string Shortest(double value) { return FormatPointValue(value); }

// Success when lo <= value <= hi (lo < value when `open_low`, value < hi when `open_high`).
Status InRange(std::string_view name, double value, double lo, double hi, bool open_low = false,
               bool open_high = false) {
  const bool inside = std::isfinite(value) && (open_low ? value > lo : value >= lo) &&
                      (open_high ? value < hi : value <= hi);
  if (inside) return {};
  return InvalidArgument(std::string(name) + ": must be in " + (open_low ? "(" : "[") +
                         Shortest(lo) + ", " + Shortest(hi) + (open_high ? ")" : "]") + " (got " +
                         Shortest(value) + ")");
}

}  // namespace

Status ValidateRebootPrior(const RebootPrior& prior) {
  const Status checks[] = {
      InRange("auto_update_share", prior.auto_update_share, 0, 1),
      InRange("install_hour_local", prior.install_hour_local, 0, 24, false, true),
      InRange("detection_spread_hours", prior.detection_spread_hours, 0, 168, true),
      InRange("powered_on_share", prior.powered_on_share, 0, 1),
      InRange("morning_boot_hour_local", prior.morning_boot_hour_local, 0, 24, false, true),
      InRange("morning_boot_spread_hours", prior.morning_boot_spread_hours, 0, 12, true),
      InRange("restart_delay_minutes", prior.restart_delay_minutes, 0, 1440),
      InRange("restart_spread_minutes", prior.restart_spread_minutes, 0, 1440),
      InRange("logins_per_reboot", prior.logins_per_reboot, 0, 100),
      InRange("machines_per_daily_login", prior.machines_per_daily_login, 0, 100),
      InRange("magnitude_log_sd", prior.magnitude_log_sd, 0, 5),
      InRange("peak_timing_spread_hours", prior.peak_timing_spread_hours, 0, 48),
      InRange("strength", prior.strength, 0, 100),
      InRange("min_events", prior.min_events, 0, 1000)};
  for (const Status& check : checks) {
    if (!check) return check;
  }
  if (prior.rings.size() > kMaxRings) {
    return InvalidArgument("rings: at most " + std::to_string(kMaxRings) + " are allowed (got " +
                           std::to_string(prior.rings.size()) + ")");
  }
  for (std::size_t i = 0; i < prior.rings.size(); ++i) {
    const std::string name = "rings[" + std::to_string(i) + "].";
    const auto delay_hours = static_cast<double>(prior.rings[i].delay.count());
    if (Status delay = InRange(name + "delay_hours", delay_hours, 0, 336, true); !delay) {
      return delay;
    }
    if (Status share = InRange(name + "share", prior.rings[i].share, 0, 2); !share) return share;
  }
  return {};
}

std::vector<double> SpreadOverTiming(std::span<const double> wave, double sd_steps) {
  std::vector<double> spread(wave.begin(), wave.end());
  if (!(sd_steps > 0)) return spread;
  const auto reach = static_cast<std::ptrdiff_t>(std::ceil(3 * sd_steps));
  std::vector<double> kernel(static_cast<std::size_t>(2 * reach + 1));
  for (std::ptrdiff_t d = -reach; d <= reach; ++d) {
    const double z = static_cast<double>(d) / sd_steps;
    kernel[static_cast<std::size_t>(d + reach)] = std::exp(-0.5 * z * z);
  }
  const auto n = static_cast<std::ptrdiff_t>(wave.size());
  for (std::ptrdiff_t k = 0; k < n; ++k) {
    double sum = 0;
    double weight = 0;
    for (std::ptrdiff_t j = std::max<std::ptrdiff_t>(0, k - reach); j <= std::min(n - 1, k + reach);
         ++j) {
      const double w = kernel[static_cast<std::size_t>(j - k + reach)];
      sum += w * wave[static_cast<std::size_t>(j)];
      weight += w;
    }
    spread[static_cast<std::size_t>(k)] = sum / weight;
  }
  return spread;
}

std::vector<double> MedianOverTimingAndSize(std::span<const double> wave, double timing_sd_steps,
                                            double size_log_sd) {
  std::vector<double> median(wave.begin(), wave.end());
  if (!(timing_sd_steps > 0)) return median;
  // Equally likely timing errors and size factors: the normal's quantiles at the midpoints of
  // equal slices. Five sizes are enough: with nine the family's forecasts are the same.
  constexpr std::size_t kShifts = 21;
  constexpr std::size_t kSizes = 5;
  std::array<std::ptrdiff_t, kShifts> shifts{};
  for (std::size_t s = 0; s < kShifts; ++s) {
    shifts[s] =
        static_cast<std::ptrdiff_t>(std::lround(timing_sd_steps * NormalSliceMidpoint(s, kShifts)));
  }
  std::array<double, kSizes> sizes{};
  for (std::size_t m = 0; m < kSizes; ++m) {
    sizes[m] = std::exp(std::max(size_log_sd, 0.0) * NormalSliceMidpoint(m, kSizes));
  }
  const auto n = static_cast<std::ptrdiff_t>(wave.size());
  std::array<double, kShifts> timed{};
  constexpr std::size_t kMiddle = kShifts * kSizes / 2;
  for (std::ptrdiff_t k = 0; k < n; ++k) {
    std::size_t absent = 0;  // timings that put no wave at k
    for (std::size_t s = 0; s < kShifts; ++s) {
      const std::ptrdiff_t from = k - shifts[s];
      timed[s] = from >= 0 && from < n ? wave[static_cast<std::size_t>(from)] : 0.0;
      absent += timed[s] > 0 ? 0 : 1;
    }
    if (2 * absent > kShifts) {  // most outcomes are 0 whatever the size
      median[static_cast<std::size_t>(k)] = 0;
      continue;
    }
    median[static_cast<std::size_t>(k)] = MiddleProduct<kMiddle>(timed, sizes);
  }
  return median;
}

std::vector<std::string> ZonesInstalledBy(std::span<const ZoneWeight> zones,
                                          const RebootPrior& prior,
                                          std::chrono::sys_seconds release,
                                          std::chrono::sys_seconds at) {
  const auto install_time = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::duration<double, std::ratio<3600>>(prior.install_hour_local));
  std::vector<std::string> reached;
  for (const ZoneWeight& zone : zones) {
    if (zone.zone == nullptr) continue;
    calendars::ZoneConverter converter(*zone.zone);
    const date::local_seconds local_release = converter.ToLocal(release);
    date::local_seconds install = date::floor<date::days>(local_release) + install_time;
    if (install < local_release) install += date::days{1};
    if (converter.ToSys(install) <= at) reached.emplace_back(zone.zone->name());
  }
  return reached;
}

}  // namespace patchcast::forecasting
