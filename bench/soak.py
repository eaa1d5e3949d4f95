#!/usr/bin/env python3
"""Soak: the real binary under a steady mixed load for a long time (issue 13), to see whether
anything grows or slows. It starts `patchcast serve --demo` on a free loopback port with a fresh
database, then for --minutes keeps:
- --connections keep-alive connections polling cached reads with If-None-Match (most are 304);
- one upload of 60 new points every second (a series of its own, one hour per upload);
- a forecast and a plan of the demo series every 10 s;
- a /metrics scrape every 5 s.
It samples the server's RSS and open file descriptors every 2 s and prints: RSS along the run
(about ten samples); RSS at the start and at the end of the load, each the median of the samples
in a window (the first after a warm-up, the last before the load stops; a tenth of the run, at
least a minute), so that one sample taken while a forecast holds its working memory does not pass
for growth (target: the end within 10 % of the start; each window's highest sample is printed
too); file descriptors; database and WAL size before and after the clean stop (which
checkpoints); and per route the count, p50, p99 and worst latency and the errors (a status other
than the expected ones, or a failed connection). The warm-up is the first minute, or tenth of a
shorter run: caches, thread stacks and allocator arenas fill then.

Usage: python3 bench/soak.py [--binary build/patchcast] [--minutes 30] [--connections 32]
Exit status 0 when it ran with no error and RSS stayed within 10 %, 1 otherwise.
"""
import argparse
import http.client
import json
import os
import platform
import subprocess
import tempfile
import threading
import time
from collections import defaultdict
from statistics import median

DEMO_END = "2026-11-14T00:00:00Z"
UPLOAD_START = 1_577_836_800  # 2020-01-01T00:00:00Z: uploads walk forward an hour at a time
CACHED_READS = [
    "/v1/series",
    "/v1/series/demo-login",
    "/v1/series/demo-login/points?max_points=1000",
    "/v1/calendars/microsoft/events?from=2026-01-01&to=2026-12-31",
    "/v1/events/next?calendar=microsoft",
]
CAPACITY_MODEL = json.dumps({"unit_capacity": 5, "headroom": 0.2, "max_units": 60}).encode()


class Recorder:
    """Latencies and errors per route, shared by the load threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.errors = defaultdict(int)
        self.first_errors = []

    def record(self, route, seconds, ok, detail=""):
        with self.lock:
            self.latencies[route].append(seconds)
            if not ok:
                self.errors[route] += 1
                if len(self.first_errors) < 10:
                    self.first_errors.append(f"{route}: {detail}")


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def call(connection, method, path, body=None, headers=None):
    """(status, headers, body) on a kept-alive connection."""
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, response.headers, response.read()


def timed(recorder, route, expected, host, port, method, path, body=None, headers=None,
          connection=None):
    """One request, timed and recorded; returns (connection to reuse, response headers)."""
    connection = connection or http.client.HTTPConnection(host, port, timeout=60)
    started = time.monotonic()
    try:
        status, reply_headers, raw = call(connection, method, path, body, headers)
        recorder.record(route, time.monotonic() - started, status in expected,
                        f"{status} {raw[:120]!r}")
        if reply_headers.get("Connection", "").lower() == "close":
            connection.close()
            connection = None
        return connection, reply_headers
    except (OSError, http.client.HTTPException) as error:
        recorder.record(route, time.monotonic() - started, False, repr(error))
        connection.close()
        return None, None


def poll_cached(host, port, recorder, stop):
    connection = None
    etags = {}
    while not stop.is_set():
        for path in CACHED_READS:
            headers = {"If-None-Match": etags[path]} if path in etags else {}
            route = "GET " + path.split("?")[0]
            connection, reply = timed(recorder, route, (200, 304), host, port, "GET", path,
                                      headers=headers, connection=connection)
            if reply is not None and reply.get("ETag"):
                etags[path] = reply["ETag"]


def every(seconds, stop, action):
    """Runs action() every `seconds` until stop, on the schedule's ticks (not drifting)."""
    next_tick = time.monotonic()
    while not stop.is_set():
        action()
        next_tick += seconds
        stop.wait(max(0.0, next_tick - time.monotonic()))


def upload_loop(host, port, recorder, stop):
    hour = [0]

    def upload():
        first = UPLOAD_START + 3600 * hour[0]
        rows = "".join(f"{first + 60 * i},{1000 + i}\n" for i in range(60))
        timed(recorder, "POST /v1/series/{id}/points", (200,), host, port, "POST",
              "/v1/series/soak-upload/points", ("ts,value\n" + rows).encode(),
              {"Content-Type": "text/csv"})
        hour[0] += 1

    every(1.0, stop, upload)


def forecast_and_plan_loop(host, port, recorder, stop):
    def forecast_and_plan():
        json_body = {"Content-Type": "application/json"}
        timed(recorder, "POST /v1/series/{id}/forecast", (200,), host, port, "POST",
              "/v1/series/demo-login/forecast", b"{}", json_body)
        timed(recorder, "POST /v1/series/{id}/plan", (200,), host, port, "POST",
              "/v1/series/demo-login/plan", b"{}", json_body)

    every(10.0, stop, forecast_and_plan)


def metrics_loop(host, port, recorder, stop):
    every(5.0, stop, lambda: timed(recorder, "GET /metrics", (200,), host, port, "GET", "/metrics"))


def process_sample(pid):
    """(RSS in MiB, open file descriptors) of the process."""
    rss_kib = 0
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss_kib = int(line.split()[1])
    return rss_kib / 1024, len(os.listdir(f"/proc/{pid}/fd"))


def file_mib(path):
    return os.path.getsize(path) / (1 << 20) if os.path.exists(path) else 0.0


def start_server(binary, database):
    process = subprocess.Popen(
        [binary, "serve", "--listen", "127.0.0.1:0", "--db", database, "--demo", "--demo-end",
         DEMO_END],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    for line in process.stderr:
        record = json.loads(line)
        if record.get("msg") == "listening":
            threading.Thread(target=process.stderr.read, daemon=True).start()
            host, port = record["address"].rsplit(":", 1)
            return process, host, int(port)
    raise SystemExit("the server exited before listening")


def cpu_model():
    with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
        for line in info:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default="build/patchcast")
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    print(f"soak on {cpu_model()}, {os.cpu_count()} hardware threads: {args.minutes:g} min, "
          f"{args.connections} polling connections")
    recorder = Recorder()
    stop = threading.Event()
    with tempfile.TemporaryDirectory() as directory:
        database = os.path.join(directory, "soak.db")
        process, host, port = start_server(args.binary, database)
        connection = http.client.HTTPConnection(host, port, timeout=60)
        status, _, _ = call(connection, "PUT", "/v1/series/demo-login/capacity-model",
                            CAPACITY_MODEL, {"Content-Type": "application/json"})
        if status != 200:
            raise SystemExit(f"storing the capacity model: {status}")
        connection.close()
        threads = [threading.Thread(target=poll_cached, args=(host, port, recorder, stop))
                   for _ in range(args.connections)]
        threads += [threading.Thread(target=loop, args=(host, port, recorder, stop))
                    for loop in (upload_loop, forecast_and_plan_loop, metrics_loop)]
        rss_idle, _ = process_sample(process.pid)
        samples = []
        for thread in threads:
            thread.start()
        began = time.monotonic()
        warm_up = min(60.0, 6 * args.minutes)
        window = max(60.0, 6 * args.minutes)
        deadline = began + 60 * args.minutes
        while time.monotonic() < deadline:
            stop.wait(min(2.0, max(0.0, deadline - time.monotonic())))
            samples.append((time.monotonic() - began, *process_sample(process.pid)))
        stop.set()
        for thread in threads:
            thread.join()
        rss_stopped, fds_end = process_sample(process.pid)
        db_running, wal_running = file_mib(database), file_mib(database + "-wal")
        process.terminate()
        process.wait()
        db_stopped, wal_stopped = file_mib(database), file_mib(database + "-wal")

    print("RSS along the run: " + ", ".join(
        f"{rss:.1f} MiB at {elapsed / 60:.0f} min"
        for elapsed, rss, _ in samples[::max(1, len(samples) // 10)]))
    # Start and end are both under load, each the median of a window of samples.
    elapsed_end = samples[-1][0] if samples else 0.0
    start_window = [s for s in samples if warm_up <= s[0] < warm_up + window] or samples[:1]
    end_window = [s for s in samples if s[0] > elapsed_end - window] or samples[-1:]
    rss_start = median([rss for _, rss, _ in start_window]) if start_window else rss_stopped
    rss_end = median([rss for _, rss, _ in end_window]) if end_window else rss_stopped
    start_high = max((rss for _, rss, _ in start_window), default=rss_stopped)
    end_high = max((rss for _, rss, _ in end_window), default=rss_stopped)
    fds_start = start_window[0][2] if start_window else fds_end
    rss_peak = max(rss for _, rss, _ in samples) if samples else rss_stopped
    fds_peak = max(fds for _, _, fds in samples) if samples else fds_end
    growth = (rss_end - rss_start) / rss_start if rss_start else float("nan")
    print(f"RSS: {rss_idle:.1f} MiB idle; median {rss_start:.1f} MiB (highest {start_high:.1f}) "
          f"over the {window:.0f} s after the {warm_up:.0f} s warm-up, median {rss_end:.1f} MiB "
          f"(highest {end_high:.1f}) over the last {window:.0f} s of load ({100 * growth:+.1f} %); "
          f"peak {rss_peak:.1f} MiB; {rss_stopped:.1f} MiB once the load stopped")
    print(f"open file descriptors: {fds_start} after the warm-up, {fds_end} at the end, "
          f"peak {fds_peak}")
    print(f"database: {db_running:.1f} MiB + WAL {wal_running:.1f} MiB while running; "
          f"{db_stopped:.1f} MiB + WAL {wal_stopped:.1f} MiB after the clean stop")
    print(f"{'route':<36} {'count':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7}")
    total_errors = 0
    for route in sorted(recorder.latencies):
        values = recorder.latencies[route]
        total_errors += recorder.errors[route]
        print(f"{route:<36} {len(values):>8} {1000 * percentile(values, 0.5):>8.1f} "
              f"{1000 * percentile(values, 0.99):>8.1f} {1000 * max(values):>8.1f} "
              f"{recorder.errors[route]:>7}")
    for error in recorder.first_errors:
        print("  error:", error)
    flat = abs(growth) <= 0.10
    print(f"errors: {total_errors}; RSS flat within 10 %: {'yes' if flat else 'NO'}")
    return 0 if total_errors == 0 and flat else 1


if __name__ == "__main__":
    raise SystemExit(main())
