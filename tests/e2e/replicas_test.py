"""Two replicas of the real binary behind Debian's nginx, sharing one PostgreSQL database
(issue 17):
- started at the same moment on a fresh database, both come up ready, and the schema migrations
  table holds each migration once (1..N, N the schema version both report);
- what replica A acknowledges replica B serves: the points and the series list are equal, and an
  ETag B gave goes stale once A writes (200 with a new ETag, not 304);
- nginx, running deploy/nginx/patchcast.conf with its upstream made the two replicas (and only
  site-specific values replaced, as tests/e2e/nginx_proxy_test.sh does), spreads reads over both
  (each replica's /metrics counts its share) and every one succeeds;
- kill -9: writers upload numbered batches through nginx and to each replica directly; A is killed
  with SIGKILL once a count of uploads has been acknowledged, not after a time. Every acknowledged
  batch then reads back whole, every other batch is whole or absent, and B answers every read,
  directly and through nginx, during and after the kill.

The PostgreSQL cluster (tests/e2e/pg_cluster.py), nginx and the replicas live in temporary
directories on free loopback ports, and are stopped and removed on the way out, on failure too.
Points lie at fixed instants from 2000-01-01, so nothing depends on today's date.

Usage: python3 tests/e2e/replicas_test.py PATH_TO_PATCHCAST
Exits 0 when every check passes, 1 when one fails, 77 (skipped) when PostgreSQL, nginx or openssl
is not installed.
"""
import collections
import contextlib
import http.client
import itertools
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import urllib.request

from e2e_service import (Failures, NumberedBatches, SKIPPED, fetch, free_loopback_port,
                         self_signed_certificate, start)
from pg_cluster import PgCluster, PgClusterError, bin_dir

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SITE_CONF = os.path.join(REPO, "deploy", "nginx", "patchcast.conf")
DATABASE = "patchcast"
REPLICAS = 2
NGINX_PORT_TRIES = 5  # another process may take a free port before nginx binds it
# Far above what this test sends from its one address, so that no request of it is refused with 429.
TEST_RATE, TEST_BURST = "10000r/s", 10000

# Part 1 (A writes, B reads): small uploads of a series of its own.
FOLLOW = NumberedBatches("/v1/series/logins", 60, 946_684_800)  # from 2000-01-01T00:00:00Z
POINTS_ROUTE = "/v1/series/{id}/points"  # the route label of /metrics
SPREAD_READS = 20

# Part 2 (kill -9): the writers' targets, by name; A's writer stops when A is gone.
KILL = NumberedBatches("/v1/series/login", 200, 946_684_800)
WRITER_TARGETS = ("nginx", "nginx", "A", "B")
READER_TARGETS = ("nginx", "B")
KILL_AFTER_ACKNOWLEDGED = 60  # A is killed once this many uploads are answered 200
ACKNOWLEDGED_AFTER_KILL = 40  # then writing goes on until this many more are
READS_AFTER_KILL = 20  # and reading until each reader has read this many times since the kill
MAX_BATCHES = 2000  # a bound, should the run never reach the counts above


def skip(reason):
    print(f"SKIP: {reason}", file=sys.stderr)
    sys.exit(SKIPPED)


def tools_or_skip():
    """The nginx binary; exits SKIPPED when PostgreSQL, nginx or openssl is not installed."""
    if bin_dir() is None:
        skip("PostgreSQL is not installed: no initdb, pg_ctl and psql under "
             "/usr/lib/postgresql/*/bin or $PATCHCAST_PG_BINDIR (apt-get install postgresql)")
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK)
                                      else None)
    if nginx is None:
        skip("nginx is not installed (apt-get install nginx)")
    if shutil.which("openssl") is None:
        skip("openssl is not installed")
    return nginx


# --- The replicas.

def start_replicas(binary, url, stack):
    """Starts REPLICAS `binary serve --db url` at the same moment (a migration race on a fresh
    database); returns their (process, base URL) once all listen. Each is stopped on leaving
    `stack`."""
    gate = threading.Barrier(REPLICAS)
    started = [None] * REPLICAS

    def start_one(index):
        gate.wait()
        started[index] = start(binary, url)  # SystemExit ends only this thread: None stays

    threads = [threading.Thread(target=start_one, args=(i,)) for i in range(REPLICAS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for replica in started:
        if replica:
            stack.callback(stop, replica[0])
    if None in started:
        raise SystemExit(f"replicas {[i for i, r in enumerate(started) if r is None]} exited "
                         "before listening")
    return started


def stop(process):
    process.terminate()
    process.wait()


def served(base, route, method="GET"):
    """How many requests of `method` to `route` (a route template) the replica at `base` has
    answered, whatever the status: its /metrics counter, read directly."""
    _, _, raw = fetch(base, "/metrics")
    prefix = f'patchcast_http_requests_total{{route="{route}",method="{method}",'
    return sum(int(float(line.split()[-1])) for line in raw.decode().splitlines()
               if line.startswith(prefix))


# --- nginx in front.

def make_certificate(directory):
    """A throwaway self-signed certificate for 127.0.0.1 in `directory` (only its owner may read
    the key); fetch() (urllib) trusts it from then on, so TLS is verified, not skipped."""
    certificate, _ = self_signed_certificate(directory, "fullchain.pem", "privkey.pem")
    context = ssl.create_default_context(cafile=certificate)
    urllib.request.install_opener(
        urllib.request.build_opener(urllib.request.HTTPSHandler(context=context)))


def substitute(text, old, new):
    """`text` with every `old` made `new`; fails when there is none, so that the site file and
    this test cannot drift apart."""
    if old not in text:
        raise SystemExit(f"deploy/nginx/patchcast.conf changed: no '{old}' to replace")
    return text.replace(old, new)


def site_conf(upstreams, http_port, https_port, directory):
    """deploy/nginx/patchcast.conf with only its site-specific values replaced (the list at its
    top): the upstream becomes one server line per replica's host:port, the listen addresses
    loopback ports, the certificate and log folders `directory`'s, and the rate limit TEST_RATE."""
    with open(SITE_CONF, encoding="utf-8") as site:
        # Comments go: the file's header names the very values replaced below.
        text = "".join(line for line in site
                       if not line.lstrip().startswith("#") and "listen [::]:" not in line)
    servers = "\n    ".join(f"server {upstream};" for upstream in upstreams)
    for old, new in (("server patchcast:8080;", servers),
                     ("listen 80 ", f"listen 127.0.0.1:{http_port} "),
                     ("listen 443 ", f"listen 127.0.0.1:{https_port} "),
                     ("/etc/nginx/tls/", os.path.join(directory, "tls") + "/"),
                     ("/var/log/nginx/", os.path.join(directory, "log") + "/"),
                     ("rate=20r/s;", f"rate={TEST_RATE};"),
                     ("burst=40 ", f"burst={TEST_BURST} ")):
        text = substitute(text, old, new)
    left = re.search(r"patchcast:8080|/etc/nginx/|/var/log/nginx/|listen (80|443)[ ;]|\[::\]",
                     text)
    if left:
        raise SystemExit(f"deploy/nginx/patchcast.conf has a site-specific value this test does "
                         f"not replace: '{left.group(0)}'")
    return text


def main_conf(directory, site_path):
    """The process-wide wrapper, the test's own: one worker, the log on stderr (its notices tell
    when the workers have started), temporary files in `directory`."""
    temp = os.path.join(directory, "temp")
    return f"""worker_processes 1;
pid {directory}/nginx.pid;
error_log stderr notice;
events {{ worker_connections 256; }}
http {{
  client_body_temp_path {temp}/body;
  proxy_temp_path {temp}/proxy;
  fastcgi_temp_path {temp}/fastcgi;
  uwsgi_temp_path {temp}/uwsgi;
  scgi_temp_path {temp}/scgi;
  default_type application/octet-stream;
  include {site_path};
}}
"""


class Nginx:
    """Debian's nginx in the foreground (a child, so stopping it is a wait), in a temporary
    directory, proxying to `upstreams` ("host:port" each). `base` is its HTTPS URL."""

    def __init__(self, binary, upstreams):
        self.binary, self.upstreams = binary, upstreams
        self.process = None
        self.log = collections.deque(maxlen=30)  # the last lines of its error log, for a failure
        self.temporary = tempfile.TemporaryDirectory(prefix="patchcast-nginx-")
        self.dir = self.temporary.name
        self.base = None

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        if self.process:
            stop(self.process)
        self.temporary.cleanup()

    def start(self):
        # When the test runs as root, nginx's workers run as `nobody`: let them reach their
        # temporary folders.
        os.chmod(self.dir, 0o755)
        for folder in ("log", "temp"):
            os.mkdir(os.path.join(self.dir, folder))
        make_certificate(os.path.join(self.dir, "tls"))
        for _ in range(NGINX_PORT_TRIES):
            http_port, https_port = free_loopback_port(), free_loopback_port()
            if http_port != https_port and self.try_ports(http_port, https_port):
                self.base = f"https://127.0.0.1:{https_port}"
                return
        raise SystemExit(f"nginx found no free ports in {NGINX_PORT_TRIES} tries")

    def try_ports(self, http_port, https_port):
        """Starts nginx on the ports; False when one was taken meanwhile (it then exits)."""
        self.log.clear()
        site_path = os.path.join(self.dir, "patchcast.conf")
        with open(site_path, "w", encoding="utf-8") as site:
            site.write(site_conf(self.upstreams, http_port, https_port, self.dir))
        conf_path = os.path.join(self.dir, "nginx.conf")
        with open(conf_path, "w", encoding="utf-8") as conf:
            conf.write(main_conf(self.dir, site_path))
        process = subprocess.Popen(
            [self.binary, "-p", self.dir + "/", "-e", "stderr", "-c", conf_path,
             "-g", "daemon off;"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for line in process.stderr:
            self.log.append(line)
            # Its sockets are bound before the master starts a worker.
            if "start worker process " in line:
                self.process = process
                threading.Thread(target=self.keep_log, daemon=True).start()
                return True
        process.wait()
        if "Address already in use" in "".join(self.log):
            return False
        raise SystemExit("nginx did not start:\n" + "".join(self.log))

    def keep_log(self):
        for line in self.process.stderr:
            self.log.append(line)


# --- The checks.

def check_migrated_once(cluster, replicas, failures):
    """Both replicas ready at one schema version N, and the migrations table holding 1..N once."""
    rows = cluster.psql(DATABASE, "SELECT version FROM schema_migrations ORDER BY version")
    versions = [int(row[0]) for row in rows]
    failures.check(versions and versions == list(range(1, len(versions) + 1)),
                   f"schema_migrations holds versions {versions}, not 1..N once each")
    for name, (_, base) in zip("AB", replicas):
        status, _, raw = fetch(base, "/readyz")
        ready = json.loads(raw)
        failures.check(status == 200 and ready.get("schema_version") == len(versions),
                       f"replica {name}: /readyz {status} {ready}, with migrations {versions}")
    print(f"-- two replicas started together; schema_migrations: versions 1..{len(versions)}")


def points_of(base):
    """(status, ETag, body) of the FOLLOW series' points from `base`."""
    status, headers, raw = fetch(base, FOLLOW.series + "/points")
    return status, headers.get("ETag"), raw


def check_b_follows_a(a, b, failures):
    """What A acknowledges B serves, and B's ETag goes stale once A writes."""
    status, _, _ = FOLLOW.upload(a, 0)
    failures.check(status == 200, f"upload to A: {status}")
    status, etag, body = points_of(b)
    failures.check(status == 200 and etag, f"points from B: {status}, ETag {etag}")
    failures.check(len(json.loads(body)["points"]) == FOLLOW.size,
                   f"B serves {len(json.loads(body)['points'])} points of A's {FOLLOW.size}")
    failures.check(points_of(a)[2] == body, "A and B serve different points")
    _, _, list_a = fetch(a, "/v1/series")
    _, _, list_b = fetch(b, "/v1/series")
    failures.check(list_a == list_b and b'"logins"' in list_b,
                   f"series lists differ: A {list_a[:200]} B {list_b[:200]}")
    status, _, _ = fetch(b, FOLLOW.series + "/points", headers={"If-None-Match": etag})
    failures.check(status == 304, f"B's own ETag, unchanged data: {status}, not 304")

    status, _, _ = FOLLOW.upload(a, 1)
    failures.check(status == 200, f"second upload to A: {status}")
    status, headers, raw = fetch(b, FOLLOW.series + "/points", headers={"If-None-Match": etag})
    failures.check(status == 200 and headers.get("ETag") not in (None, etag),
                   f"B's ETag after A wrote: {status} with ETag {headers.get('ETag')} "
                   f"(was {etag}); want 200 with a new one")
    failures.check(status == 200 and len(json.loads(raw)["points"]) == 2 * FOLLOW.size,
                   "B does not serve A's second upload")
    failures.check(FOLLOW.reads_back(b, 0) and FOLLOW.reads_back(b, 1),
                   "A's uploads do not read back whole from B")
    print("-- A's writes served by B; B's ETag went stale when A wrote")


def check_spread(proxy, a, b, failures):
    """SPREAD_READS reads through nginx: all 200 with B's body, served by both replicas."""
    _, _, expected = points_of(b)
    before = [served(base, POINTS_ROUTE) for base in (a, b)]
    for _ in range(SPREAD_READS):
        status, headers, raw = fetch(proxy, FOLLOW.series + "/points")
        failures.check(status == 200 and raw == expected and headers.get("Server") == "nginx",
                       f"read through nginx: {status}, Server {headers.get('Server')}, "
                       f"{raw[:200]}")
    shares = [served(base, POINTS_ROUTE) - count for base, count in zip((a, b), before)]
    failures.check(min(shares) >= 1 and sum(shares) == SPREAD_READS,
                   f"{SPREAD_READS} reads through nginx served {shares[0]} by A, {shares[1]} by B")
    print(f"-- {SPREAD_READS} reads through nginx: {shares[0]} served by A, {shares[1]} by B")


class KillRun:
    """Writers upload new KILL batches to their targets and readers read the series while A is
    killed (see the module's docstring). Its counts and findings are guarded by `changed`."""

    def __init__(self, targets):
        self.targets = targets  # name -> base URL
        self.changed = threading.Condition()
        self.batches = itertools.count()
        self.issued = 0
        self.acknowledged = []
        self.killed = False
        self.acknowledged_at_kill = 0
        self.acknowledged_after_kill = 0
        self.writers_left = len(WRITER_TARGETS)
        self.reads_after_kill = collections.Counter()
        self.statuses = collections.Counter()  # (writer or reader, target, status)
        self.problems = []

    def writing_done(self):
        return (self.killed and self.acknowledged_after_kill >= ACKNOWLEDGED_AFTER_KILL) or \
            self.issued >= MAX_BATCHES

    def next_batch(self):
        """The next batch to upload, or None when writing is done."""
        with self.changed:
            if self.writing_done():
                return None
            self.issued += 1
            return next(self.batches)

    def write(self, target):
        try:
            while (batch := self.next_batch()) is not None:
                try:
                    status, _, raw = KILL.upload(self.targets[target], batch)
                except (OSError, http.client.HTTPException) as error:  # URLError included
                    with self.changed:
                        # A's writer ends with A; any other target must keep answering.
                        if target != "A" or not self.killed:
                            self.problems.append(f"upload to {target}: {error}")
                    return
                self.record_upload(target, batch, status, raw)
        finally:
            with self.changed:
                self.writers_left -= 1
                self.changed.notify_all()

    def record_upload(self, target, batch, status, raw):
        with self.changed:
            self.statuses["upload", target, status] += 1
            if status == 200:
                self.acknowledged.append(batch)
                self.acknowledged_after_kill += self.killed
                self.changed.notify_all()
            # nginx answers 502 to an upload in flight to A when A dies: it does not resend a POST.
            elif not (target == "nginx" and status == 502 and self.killed):
                self.problems.append(f"upload of batch {batch} to {target}: {status} {raw[:200]}")

    def reading_done(self, target):
        return self.writers_left == 0 and self.killed and \
            self.reads_after_kill[target] >= READS_AFTER_KILL

    def read(self, target):
        with self.changed:  # the series exists from the first acknowledged upload on
            self.changed.wait_for(lambda: self.acknowledged or self.writers_left == 0)
        while True:
            with self.changed:
                if self.reading_done(target):
                    return
                killed = self.killed
            try:
                status, _, raw = fetch(self.targets[target], KILL.series)
            except (OSError, http.client.HTTPException) as error:
                status, raw = type(error).__name__, str(error).encode()
            with self.changed:
                self.statuses["read", target, status] += 1
                self.reads_after_kill[target] += killed
                if status != 200:
                    self.problems.append(f"read from {target}: {status} {raw[:200]}")

    def run(self, process_a):
        # Daemons: should the test be stopped half-way, they must not keep it alive.
        threads = [threading.Thread(target=self.write, args=(target,), daemon=True)
                   for target in WRITER_TARGETS]
        threads += [threading.Thread(target=self.read, args=(target,), daemon=True)
                    for target in READER_TARGETS]
        for thread in threads:
            thread.start()
        with self.changed:
            self.changed.wait_for(lambda: len(self.acknowledged) >= KILL_AFTER_ACKNOWLEDGED or
                                  self.writers_left == 0)
            self.acknowledged_at_kill = len(self.acknowledged)
            self.killed = True
        process_a.kill()
        process_a.wait()
        for thread in threads:
            thread.join()


def batch_state(base, batch):
    """The state of `batch` as read from `base`: "whole", "absent" (no value in its minutes, or
    none of them read, past the series' end) or "partial" (torn, misplaced, or unreadable)."""
    values = KILL.read_back(base, batch)
    if values == KILL.values(batch):
        return "whole"
    return "absent" if values is not None and all(v is None for v in values) else "partial"


def check_kill_run(run, failures):
    """The run reached its counts, and nothing but A's end went wrong."""
    failures.check(run.acknowledged_at_kill >= KILL_AFTER_ACKNOWLEDGED,
                   f"only {run.acknowledged_at_kill} uploads acknowledged before the kill")
    failures.check(run.acknowledged_after_kill >= ACKNOWLEDGED_AFTER_KILL,
                   f"only {run.acknowledged_after_kill} uploads acknowledged after the kill")
    failures.check(all(run.reads_after_kill[t] >= READS_AFTER_KILL for t in READER_TARGETS),
                   f"reads after the kill: {dict(run.reads_after_kill)}")
    for problem in run.problems[:20]:
        failures.fail(problem)


def check_stored_batches(name, base, run, failures):
    """Every acknowledged batch whole when read from `base`, every other whole or absent, and the
    series' point count theirs; returns how many batches were (whole, absent)."""
    issued = range(run.issued)
    states = {batch: batch_state(base, batch) for batch in issued}
    lost = [batch for batch in run.acknowledged if states[batch] != "whole"]
    failures.check(not lost, f"acknowledged batches not whole through {name}: {lost[:20]}")
    partial = [batch for batch in issued if states[batch] == "partial"]
    failures.check(not partial, f"partial batches through {name}: {partial[:20]}")
    whole = sum(state == "whole" for state in states.values())
    status, _, raw = fetch(base, KILL.series)
    failures.check(status == 200 and json.loads(raw)["point_count"] == whole * KILL.size,
                   f"series through {name}: {status} {raw[:200]}, with {whole} whole batches "
                   f"of {KILL.size} points")
    return whole, sum(state == "absent" for state in states.values())


def check_kill(process_a, a, b, proxy, failures):
    run = KillRun({"nginx": proxy, "A": a, "B": b})
    run.run(process_a)
    check_kill_run(run, failures)
    whole, absent = check_stored_batches("B", b, run, failures)
    check_stored_batches("nginx", proxy, run, failures)
    print(f"-- kill -9 of A after {run.acknowledged_at_kill} acknowledged uploads; then "
          f"{run.issued} sent, {len(run.acknowledged)} acknowledged, {whole} stored whole, "
          f"{absent} absent")
    print("   " + ", ".join(f"{kind} {target} {status}: {count}" for (kind, target, status), count
                            in sorted(run.statuses.items(), key=str)))


def run_checks(binary, nginx_binary, failures):
    with contextlib.ExitStack() as stack:
        cluster = stack.enter_context(PgCluster())
        cluster.create_database(DATABASE)
        replicas = start_replicas(binary, cluster.url(DATABASE), stack)
        check_migrated_once(cluster, replicas, failures)
        (process_a, a), (_, b) = replicas
        check_b_follows_a(a, b, failures)
        upstreams = [base.removeprefix("http://") for base in (a, b)]
        nginx = stack.enter_context(Nginx(nginx_binary, upstreams))
        try:
            check_spread(nginx.base, a, b, failures)
            check_kill(process_a, a, b, nginx.base, failures)
        finally:
            if failures.messages:
                print("--- nginx's last log lines:\n" + "".join(nginx.log), file=sys.stderr)


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: replicas_test.py PATH_TO_PATCHCAST")
    nginx_binary = tools_or_skip()
    # CTest's timeout (SIGTERM) and ^C unwind like a failure, so everything started is removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    failures = Failures()
    try:
        run_checks(sys.argv[1], nginx_binary, failures)
    except PgClusterError as error:
        failures.fail(f"PostgreSQL: {error}")
    return failures.report("replicas")


if __name__ == "__main__":
    sys.exit(main())
