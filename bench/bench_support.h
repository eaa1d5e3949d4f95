// What several bench programs share: naming the machine they ran on, and running the real
// `patchcast serve` as a child process on a free loopback port.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace patchcast::bench {

// "AMD EPYC 7B13, 2 hardware threads": the CPU model from /proc/cpuinfo and the thread count.
std::string MachineDescription();

// The CPU model alone, from /proc/cpuinfo ("unknown CPU" when it cannot be read).
std::string CpuModel();

struct ChildServer {
  pid_t pid = -1;
  int port = 0;  // 0: it did not start
};

// Starts `binary serve --listen 127.0.0.1:0 --db db extra_args...`, waits for its "listening" log
// line and keeps draining its log so that it never blocks on a full pipe.
ChildServer StartPatchcast(const std::string& binary, const std::string& db,
                           const std::vector<std::string>& extra_args = {});

// The same, with the server's log (stderr) appended to the file `log_path` instead of a pipe this
// process drains: a load test then spends no CPU of its own on reading the access log. Waits up
// to `start_timeout` for the "listening" line (a --demo start writes a year of points first).
ChildServer StartPatchcastLoggingTo(const std::string& binary, const std::string& db,
                                    const std::string& log_path,
                                    const std::vector<std::string>& extra_args,
                                    std::chrono::seconds start_timeout = std::chrono::seconds(120));

// Stops the server with SIGTERM and waits for it.
void StopPatchcast(const ChildServer& server);

// `rows` 1-minute login counts from `start` (Unix seconds) with a daily cycle, as RFC 3339 CSV
// with a header: the upload ingest benches send, so that their figures compare.
std::string MinuteLoginsCsv(std::size_t rows, std::int64_t start);

}  // namespace patchcast::bench
