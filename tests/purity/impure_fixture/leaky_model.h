// A deliberately impure "domain" file: the purity and wall clock checks must reject it (test
// fixture only).
#pragma once
#include <chrono>
#include <nlohmann/json.hpp>

inline auto LeakyToday() { return std::chrono::system_clock::now(); }
