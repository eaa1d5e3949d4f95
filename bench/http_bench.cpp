// http_bench: what the HTTP hardening buys, measured side by side in one run.
//
// Peer: a cpp-httplib 0.11.4 server with the library's defaults (Nagle on, listen backlog 5,
// SO_REUSEPORT, 8-thread pool), started in this process and answering GET /healthz. Patchcast: the
// real binary (`patchcast serve`, started as a child process on a free loopback port with a
// temporary database). Both are driven by the same load generator over loopback:
//   1. keep-alive throughput: C connections, each sending GET /healthz back to back for S seconds;
//   2. connection burst: B clients connect at once and each makes one request; the slowest
//      completion shows SYN drops (a dropped SYN is retried after 1 s).
// Usage: http_bench PATH_TO_PATCHCAST [--connections 8] [--seconds 3] [--burst 256]
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_support.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string patchcast;
  int connections = 8;
  int seconds = 3;
  int burst = 256;
};

int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends one GET /healthz and reads the whole response. Returns false on any failure.
bool RoundTrip(int fd, std::string& buffer) {
  static const std::string kRequest = "GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n";
  if (::send(fd, kRequest.data(), kRequest.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(kRequest.size())) {
    return false;
  }
  buffer.clear();
  char chunk[4096];
  for (;;) {
    std::size_t header_end = buffer.find("\r\n\r\n");
    if (header_end != std::string::npos) {
      std::size_t length_at = buffer.find("Content-Length: ");
      if (length_at != std::string::npos && length_at < header_end) {
        std::size_t length = std::strtoul(buffer.c_str() + length_at + 16, nullptr, 10);
        if (buffer.size() >= header_end + 4 + length)
          return buffer.compare(0, 12, "HTTP/1.1 200") == 0;
      }
    }
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
}

double Percentile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1))];
}

struct Throughput {
  double requests_per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  long failures = 0;  // the server closed the connection (e.g. its keep-alive limit): reconnected
};

Throughput MeasureKeepAlive(int port, const Options& options) {
  std::atomic<long> failures{0};
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(options.connections));
  const auto deadline = Clock::now() + std::chrono::seconds(options.seconds);
  std::vector<std::thread> clients;
  const auto start = Clock::now();
  for (int c = 0; c < options.connections; ++c) {
    clients.emplace_back([&, c] {
      std::string buffer;
      int fd = Connect(port);
      while (fd >= 0 && Clock::now() < deadline) {
        const auto sent = Clock::now();
        if (!RoundTrip(fd, buffer)) {
          ++failures;
          ::close(fd);
          fd = Connect(port);  // the server closed (keep-alive limit): reconnect
          continue;
        }
        latencies[static_cast<std::size_t>(c)].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
      }
      if (fd >= 0) ::close(fd);
    });
  }
  for (auto& client : clients) client.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (const auto& one : latencies) all.insert(all.end(), one.begin(), one.end());
  return {static_cast<double>(all.size()) / elapsed, Percentile(all, 0.5), Percentile(all, 0.99),
          failures.load()};
}

struct Burst {
  double slowest_ms = 0;
  double p50_ms = 0;
  int failed = 0;
};

Burst MeasureBurst(int port, int clients_count) {
  std::vector<double> durations(static_cast<std::size_t>(clients_count), -1);
  std::atomic<bool> go{false};
  std::vector<std::thread> clients;
  for (int i = 0; i < clients_count; ++i) {
    clients.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      const auto start = Clock::now();
      std::string buffer;
      int fd = Connect(port);
      if (fd >= 0 && RoundTrip(fd, buffer)) {
        durations[static_cast<std::size_t>(i)] =
            std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      }
      if (fd >= 0) ::close(fd);
    });
  }
  go = true;
  for (auto& client : clients) client.join();
  Burst burst;
  std::vector<double> ok;
  for (double d : durations) {
    if (d < 0) {
      ++burst.failed;
    } else {
      ok.push_back(d);
    }
  }
  burst.slowest_ms = ok.empty() ? 0 : *std::max_element(ok.begin(), ok.end());
  burst.p50_ms = Percentile(ok, 0.5);
  return burst;
}

void PrintRow(const char* name, const Throughput& t, const Burst& b, int burst) {
  std::printf("%-34s %12.0f %9.3f %9.3f %10ld %14.1f %9.1f %5d/%d\n", name, t.requests_per_second,
              t.p50_ms, t.p99_ms, t.failures, b.slowest_ms, b.p50_ms, burst - b.failed, burst);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: %s PATH_TO_PATCHCAST [--connections N] [--seconds S] [--burst B]\n",
                 argv[0]);
    return 2;
  }
  options.patchcast = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (flag == "--connections") options.connections = value;
    if (flag == "--seconds") options.seconds = value;
    if (flag == "--burst") options.burst = value;
  }
  ::signal(SIGPIPE, SIG_IGN);
  std::printf("machine: %s\n", patchcast::bench::MachineDescription().c_str());

  httplib::Server peer;  // the library's defaults, on purpose
  peer.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\":\"ok\"}\n", "application/json");
  });
  const int peer_port = peer.bind_to_any_port("127.0.0.1");
  std::thread peer_thread([&] { peer.listen_after_bind(); });

  const auto dir =
      std::filesystem::temp_directory_path() / ("patchcast-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const patchcast::bench::ChildServer server = patchcast::bench::StartPatchcast(
      options.patchcast, (dir / "bench.db").string(), {"--keep-alive-max", "100000"});
  const int port = server.port;
  if (port == 0) {
    std::fprintf(stderr, "patchcast did not start\n");
    return 1;
  }

  std::printf(
      "GET /healthz over loopback; %d keep-alive connections for %d s; burst of %d new "
      "connections\n\n",
      options.connections, options.seconds, options.burst);
  std::printf("%-34s %12s %9s %9s %10s %14s %9s %9s\n", "server", "req/s", "p50 ms", "p99 ms",
              "reconnects", "burst max ms", "p50 ms", "ok");
  const Throughput peer_throughput = MeasureKeepAlive(peer_port, options);
  const Burst peer_burst = MeasureBurst(peer_port, options.burst);
  PrintRow("cpp-httplib 0.11.4 defaults", peer_throughput, peer_burst, options.burst);
  const Throughput ours = MeasureKeepAlive(port, options);
  const Burst our_burst = MeasureBurst(port, options.burst);
  PrintRow("patchcast (hardened, full pipeline)", ours, our_burst, options.burst);

  patchcast::bench::StopPatchcast(server);
  peer.stop();
  peer_thread.join();
  std::filesystem::remove_all(dir);
  return 0;
}
