// MetricsSource: whatever renders the Prometheus exposition served at GET /metrics.
//
// server/ implements it over its metrics registry and the store's status; api tests use a fake.
// Implementations must be thread-safe.
#pragma once

#include <string>

#include "api/scope.h"

namespace patchcast::api {

class MetricsSource {
 public:
  virtual ~MetricsSource() = default;
  // Returns the complete text exposition (format 0.0.4), ending with a newline, as `viewer` may
  // see it: the process-wide families whole, the per-series families (labelled by series) only
  // for the series viewer.MaySee, so a key limited to a prefix never learns other series' ids.
  virtual std::string RenderMetrics(const Principal& viewer) const = 0;
};

}  // namespace patchcast::api
