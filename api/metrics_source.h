// MetricsSource: whatever renders the Prometheus exposition served at GET /metrics.
//
// server/ implements it over its metrics registry and the store's status; api tests use a fake.
// Implementations must be thread-safe.
#pragma once

#include <string>

namespace patchcast::api {

class MetricsSource {
 public:
  virtual ~MetricsSource() = default;
  // Returns the complete text exposition (format 0.0.4), ending with a newline.
  virtual std::string RenderMetrics() const = 0;
};

}  // namespace patchcast::api
