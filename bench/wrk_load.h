// wrk (Debian's `wrk` package) as the load generator of a bench: one run against one URL, its
// throughput and latency tail read back from its report.
#pragma once

#include <string>
#include <vector>

namespace patchcast::bench {

struct WrkLoad {
  int threads = 2;
  int connections = 32;
  int seconds = 10;
  std::vector<std::string> headers;  // "Name: value" lines sent with every request
};

struct WrkFigures {
  bool ok = false;  // wrk ran and reported a rate
  double requests_per_second = 0;
  double p99_ms = 0;
  long long requests = 0;
  long long bad_responses = 0;  // "Non-2xx or 3xx responses"
  long long socket_errors = 0;  // connect, read, write and timeout errors
  std::string report;           // wrk's own text, for a failure's message
};

// Runs `wrk -t T -c C -d S --latency [-H h]... url` and parses its report.
WrkFigures RunWrk(const std::string& url, const WrkLoad& load);

// True when a `wrk` binary is on the PATH.
bool HaveWrk();

}  // namespace patchcast::bench
