#include "bench/wrk_load.h"

#include <cstdio>
#include <cstdlib>
#include <regex>

namespace patchcast::bench {
namespace {

// Quotes `text` for /bin/sh: single quotes, each embedded one closed, escaped and reopened.
std::string ShellQuoted(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string RunCapturingStdout(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  char chunk[4096];
  std::size_t n = 0;
  while ((n = std::fread(chunk, 1, sizeof chunk, pipe)) > 0) output.append(chunk, n);
  ::pclose(pipe);
  return output;
}

// wrk prints latencies as "812.00us", "3.41ms" or "1.20s".
double Milliseconds(const std::string& number, const std::string& unit) {
  const double value = std::stod(number);
  if (unit == "us") return value / 1000.0;
  if (unit == "s") return value * 1000.0;
  if (unit == "m") return value * 60'000.0;
  return value;
}

long long CountAfter(const std::string& report, const std::regex& pattern) {
  std::smatch match;
  return std::regex_search(report, match, pattern) ? std::stoll(match[1]) : 0;
}

void ParseReport(WrkFigures& figures) {
  const std::string& report = figures.report;
  std::smatch match;
  if (std::regex_search(report, match, std::regex(R"(Requests/sec:\s+([0-9.]+))"))) {
    figures.requests_per_second = std::stod(match[1]);
    figures.ok = true;
  }
  if (std::regex_search(report, match, std::regex(R"(\n\s*99%\s+([0-9.]+)(us|ms|s|m)\b)"))) {
    figures.p99_ms = Milliseconds(match[1], match[2]);
  }
  figures.requests = CountAfter(report, std::regex(R"((\d+) requests in)"));
  figures.bad_responses = CountAfter(report, std::regex(R"(Non-2xx or 3xx responses: (\d+))"));
  if (std::regex_search(report, match,
                        std::regex(R"(connect (\d+), read (\d+), write (\d+), timeout (\d+))"))) {
    for (int i = 1; i <= 4; ++i) figures.socket_errors += std::stoll(match[i]);
  }
}

}  // namespace

bool HaveWrk() { return std::system("command -v wrk >/dev/null 2>&1") == 0; }

WrkFigures RunWrk(const std::string& url, const WrkLoad& load) {
  std::string command = "wrk -t" + std::to_string(load.threads) + " -c" +
                        std::to_string(load.connections) + " -d" + std::to_string(load.seconds) +
                        "s --latency";
  for (const std::string& header : load.headers) command += " -H " + ShellQuoted(header);
  command += " " + ShellQuoted(url) + " 2>&1";
  WrkFigures figures;
  figures.report = RunCapturingStdout(command);
  ParseReport(figures);
  return figures;
}

}  // namespace patchcast::bench
