// The JSON lines the cron commands print with --all (one object per line, each naming its
// "series"), read back by series for tests. Fails the test on a line that is not such an object.
#pragma once

#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace patchcast::testing {

// The lines of `text` by their "series"; a later line for the same series replaces an earlier.
inline std::map<std::string, nlohmann::json> JsonLinesBySeries(const std::string& text) {
  std::map<std::string, nlohmann::json> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) {
    const auto parsed = nlohmann::json::parse(line, nullptr, false);
    REQUIRE_MESSAGE((parsed.is_object() && parsed.contains("series")),
                    "not a series line: " << line);
    lines[parsed["series"].get<std::string>()] = parsed;
  }
  return lines;
}

}  // namespace patchcast::testing
