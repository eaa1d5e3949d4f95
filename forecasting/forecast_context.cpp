#include "forecasting/forecast_context.h"

namespace patchcast::forecasting::forecast_steps {

bool IsRebootKind(calendars::EventKind kind) {
  return kind == calendars::EventKind::kRelease || kind == calendars::EventKind::kOutOfBand ||
         kind == calendars::EventKind::kPreview;
}

SizeAnnotations AnnotationsOf(const calendars::Event& event) {
  SizeAnnotations annotations;
  if (event.bulletins) annotations.bulletins = static_cast<double>(*event.bulletins);
  if (event.max_severity)
    annotations.critical = *event.max_severity == calendars::Severity::kCritical;
  annotations.restart_required = event.restart_required;
  return annotations;
}

}  // namespace patchcast::forecasting::forecast_steps
