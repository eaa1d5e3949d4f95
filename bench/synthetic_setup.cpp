#include "bench/synthetic_setup.h"

#include <string>
#include <utility>

namespace patchcast::bench {
namespace {

namespace cal = calendars;
namespace fc = forecasting;
using std::chrono::hours;
using std::chrono::sys_seconds;

constexpr std::uint64_t kSeed = 2007'08'16;

sys_seconds Day(int y, unsigned m, unsigned d) { return date::sys_days{date::year{y} / m / d}; }

}  // namespace

Result<BenchTelemetry> MakeBenchTelemetry(const cal::CalendarRegistry& registry,
                                          const BenchTelemetryOptions& options) {
  const std::vector<std::string> ids = {"microsoft"};
  auto events = registry.Events(
      ids, cal::TimeRange{options.start - date::days{40}, options.end + date::days{40}});
  if (!events) return std::move(events).error();
  std::vector<cal::Event> releases;
  for (cal::Event& event : *events) {
    if (event.kind == cal::EventKind::kRelease || event.kind == cal::EventKind::kOutOfBand) {
      releases.push_back(std::move(event));
    }
  }
  fc::SyntheticOptions synthetic;
  synthetic.seed = kSeed;
  synthetic.start = options.start;
  synthetic.end = options.end;
  synthetic.step = options.step;
  if (options.incidents) {
    synthetic.dips = {{Day(2013, 6, 5) + hours{6}, hours{3}, 0.3},
                      {Day(2013, 4, 3) + hours{12}, hours{1}, 2.5},
                      {Day(2013, 10, 10) + hours{8}, hours{2}, 0.5}};
    synthetic.gaps = {{Day(2013, 8, 1), hours{5}, 1}};
  }
  synthetic.annotate = options.annotate;
  synthetic.size_log_sd = options.size_log_sd;
  auto telemetry = fc::GenerateSyntheticTelemetry(synthetic, releases);
  if (!telemetry) return std::move(telemetry).error();
  BenchTelemetry out;
  out.zones = synthetic.regions;
  out.events = telemetry->events;
  out.telemetry = std::move(*telemetry);
  return out;
}

}  // namespace patchcast::bench
