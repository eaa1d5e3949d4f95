// A strict reader of the Prometheus text exposition format 0.0.4, for tests: it lists every way a
// scrape body departs from the format instead of parsing it leniently.
// https://prometheus.io/docs/instrumenting/exposition_formats/
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace patchcast::testing {

struct ExpositionSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct ExpositionReport {
  std::vector<std::string> problems;  // empty: the text is valid
  std::vector<ExpositionSample> samples;
};

ExpositionReport CheckExposition(std::string_view text);

}  // namespace patchcast::testing
