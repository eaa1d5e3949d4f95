#!/usr/bin/env python3
"""Slowloris: legitimate requests against the bare server while hundreds of connections send their
heads a byte at a time (issue 13, item 3). It starts `patchcast serve --demo` on a free loopback
port with a fresh database and its default threads, then:

1. baseline: for --seconds, legitimate GETs, each on a fresh connection, one every 20 ms, cycling
   through /healthz, /v1/series and /v1/series/demo-login;
2. attack: --slow connections each send one byte of a head that never ends every --interval
   seconds (spread over the interval), and reconnect when the server closes them, while the same
   legitimate GETs go on for --seconds.

It prints p50, p99 and worst latency and the errors of both phases, what the server answered the
slow connections (408 after --header-timeout) and how long the longest one was held open: a total
deadline, not one per byte, bounds it. Target: p99 under 100 ms during the attack, and no errors.

With --peer, another build (say, the last release) goes through the same two phases in the same
run, after the first.

Usage: python3 bench/slowloris.py [--binary build/patchcast] [--peer OTHER_BUILD] [--slow 300]
                                  [--seconds 60] [--interval 1]
Exit status 0 when the target is met, 1 otherwise.
"""
import argparse
import http.client
import os
import selectors
import socket
import tempfile
import threading
import time

from soak import cpu_model, percentile, start_server

LEGITIMATE = ["/healthz", "/v1/series", "/v1/series/demo-login"]
# A head that never ends: a request line, then one header whose value grows forever.
NEVER_ENDING_HEAD = b"GET /v1/series HTTP/1.1\r\nHost: patchcast\r\nX-Slow: "


def legitimate_load(host, port, seconds):
    """(latencies in seconds, error texts) of GETs on fresh connections, one every 20 ms."""
    latencies, errors = [], []
    deadline = time.monotonic() + seconds
    index = 0
    while time.monotonic() < deadline:
        path = LEGITIMATE[index % len(LEGITIMATE)]
        index += 1
        started = time.monotonic()
        connection = http.client.HTTPConnection(host, port, timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{path}: {response.status}")
        except (OSError, http.client.HTTPException) as error:
            errors.append(f"{path}: {error!r}")
        finally:
            connection.close()
        latencies.append(time.monotonic() - started)
        time.sleep(max(0.0, 0.02 - (time.monotonic() - started)))
    return latencies, errors


class SlowClients:
    """`count` connections that each send a byte of NEVER_ENDING_HEAD every `interval` seconds,
    on one thread; a connection the server closes is replaced at once."""

    def __init__(self, host, port, count, interval):
        self.address = (host, port)
        self.count = count
        self.interval = interval
        self.stop = threading.Event()
        self.answers = {}  # first line of what the server sent -> times
        self.reconnects = 0
        self.longest_open = 0.0
        self.thread = threading.Thread(target=self.run)

    def open(self):
        connection = socket.create_connection(self.address)
        connection.setblocking(False)
        return {"socket": connection, "opened": time.monotonic(), "sent": 0}

    def closed_by_server(self, slow):
        """Records what the server said before it closed `slow`."""
        data = b""
        try:
            data = slow["socket"].recv(65536)
        except OSError:
            pass
        first_line = data.split(b"\r\n", 1)[0].decode("latin-1") or "(closed without an answer)"
        self.answers[first_line] = self.answers.get(first_line, 0) + 1
        self.longest_open = max(self.longest_open, time.monotonic() - slow["opened"])
        slow["socket"].close()

    def run(self):
        slows = [self.open() for _ in range(self.count)]
        watcher = selectors.DefaultSelector()
        for index, slow in enumerate(slows):
            watcher.register(slow["socket"], selectors.EVENT_READ, index)
        pause = self.interval / self.count
        while not self.stop.is_set():
            for index in range(self.count):
                slow = slows[index]
                byte = NEVER_ENDING_HEAD[slow["sent"]:slow["sent"] + 1] or b"a"
                try:
                    slow["socket"].send(byte)
                    slow["sent"] += 1
                except OSError:
                    pass  # closed: the watcher below sees it
                for key, _ in watcher.select(timeout=pause):
                    closed = slows[key.data]
                    watcher.unregister(closed["socket"])
                    self.closed_by_server(closed)
                    slows[key.data] = self.open()
                    self.reconnects += 1
                    watcher.register(slows[key.data]["socket"], selectors.EVENT_READ, key.data)
                if self.stop.is_set():
                    break
        for slow in slows:
            slow["socket"].close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def report(name, latencies, errors):
    print(f"{name:<10} {len(latencies):>7} {1000 * percentile(latencies, 0.5):>8.1f} "
          f"{1000 * percentile(latencies, 0.99):>8.1f} {1000 * max(latencies):>8.1f} "
          f"{len(errors):>7}")
    for error in errors[:5]:
        print("  error:", error)


def measure(binary, args):
    """Both phases against `binary`: (baseline, attacked, slow clients)."""
    with tempfile.TemporaryDirectory() as directory:
        process, host, port = start_server(binary, os.path.join(directory, "slow.db"))
        try:
            baseline = legitimate_load(host, port, args.seconds)
            with SlowClients(host, port, args.slow, args.interval) as slow:
                attacked = legitimate_load(host, port, args.seconds)
        finally:
            process.terminate()
            process.wait()
    print(f"{binary}:")
    print(f"{'phase':<10} {'GETs':>7} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7}")
    report("baseline", *baseline)
    report("attack", *attacked)
    print(f"slow connections: {slow.reconnects} closed by the server and reopened; answers: "
          + (", ".join(f"{line} x{count}" for line, count in sorted(slow.answers.items()))
             or "none"))
    print(f"longest a slow connection was held open: {slow.longest_open:.1f} s")
    return baseline, attacked, slow


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default="build/patchcast")
    parser.add_argument("--peer", help="another build to measure the same way, after --binary")
    parser.add_argument("--slow", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--interval", type=float, default=1.0)
    args = parser.parse_args()
    print(f"slowloris on {cpu_model()}, {os.cpu_count()} hardware threads: {args.slow} slow "
          f"connections, a byte each every {args.interval:g} s, {args.seconds:g} s per phase")
    baseline, attacked, _ = measure(args.binary, args)
    if args.peer:
        measure(args.peer, args)
    met = percentile(attacked[0], 0.99) < 0.100 and not attacked[1] and not baseline[1]
    print(f"target for {args.binary} (p99 under 100 ms during the attack, no errors): "
          f"{'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
