#include "forecasting/forecast_context.h"

#include <algorithm>

namespace patchcast::forecasting::forecast_steps {

bool IsRebootKind(calendars::EventKind kind) {
  return kind == calendars::EventKind::kRelease || kind == calendars::EventKind::kOutOfBand ||
         kind == calendars::EventKind::kPreview;
}

const WeeklyBaseline& Context::BaselineOfStep(std::int64_t i) const {
  if (clock_set.empty()) return baseline;
  const auto last = static_cast<std::int64_t>(clock_set.size()) - 1;
  const std::uint8_t set =
      clock_set[static_cast<std::size_t>(std::clamp<std::int64_t>(i, 0, last))];
  if (set >= clock_baselines.size() || !clock_baselines[set]) return baseline;
  return *clock_baselines[set];
}

SizeAnnotations AnnotationsOf(const EventRef& ref) {
  const calendars::Event& event = *ref.event;
  SizeAnnotations annotations;
  if (event.bulletins) annotations.bulletins = static_cast<double>(*event.bulletins);
  if (event.max_severity)
    annotations.critical = *event.max_severity == calendars::Severity::kCritical;
  annotations.restart_required = event.restart_required;
  annotations.weekend = ref.weekend;
  return annotations;
}

}  // namespace patchcast::forecasting::forecast_steps
