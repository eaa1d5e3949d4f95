// Random ids for stored things (overrides, forecasts): a prefix and hex digits from a generator
// seeded by the OS. Unique with overwhelming probability; not secret (tokens use the CSPRNG).
#pragma once

#include <functional>
#include <string>

namespace patchcast::server {

// Returns a thread-safe source of ids like "fc-3f0c9a1b2c4d5e6f": `prefix` then `hex_digits`
// (at most 16) random hex digits.
std::function<std::string()> RandomIds(std::string prefix, int hex_digits);

}  // namespace patchcast::server
