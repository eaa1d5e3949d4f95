"""What the Python end-to-end tests share: a Debian package's module or a clean skip, the real
binary serving on a free loopback port, HTTP calls, and the failures a test collects.

The tests run as `python3 tests/e2e/NAME_test.py PATH_TO_PATCHCAST`, so this file is importable
from their own folder.
"""
import contextlib
import importlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request

# The demo data ends here in every test, so what they fetch is the same on any date.
DEMO_END = "2026-11-14T00:00:00Z"
SKIPPED = 77  # CTest's SKIP_RETURN_CODE for the script tests

# Debian's python3-* packages live in the system interpreter's dist-packages; a python3 found
# earlier on PATH (pyenv, a virtualenv) does not see them.
SYSTEM_PYTHON = "/usr/bin/python3"


def import_or_skip(module, package):
    """Imports `module`. When it is missing, re-runs the script once with the system python3, and
    when that lacks it too, exits SKIPPED saying which Debian `package` to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        if os.path.realpath(sys.executable) != os.path.realpath(SYSTEM_PYTHON) and \
                os.access(SYSTEM_PYTHON, os.X_OK):
            os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON] + sys.argv)
        print(f"{package} is not installed; skipping", file=sys.stderr)
        sys.exit(SKIPPED)


class Failures:
    """The failed checks of a run, reported together at its end."""

    def __init__(self):
        self.messages = []

    def check(self, condition, message):
        """Records `message` unless `condition` holds; returns the condition."""
        if not condition:
            self.messages.append(message)
        return condition

    def fail(self, message):
        self.messages.append(message)

    def report(self, name):
        """Prints the failures (the first 50) or `name: ok`; returns the exit status."""
        for message in self.messages[:50]:
            print("FAIL:", message, file=sys.stderr)
        if not self.messages:
            print(f"{name}: ok")
        return 1 if self.messages else 0


def free_loopback_port():
    """A TCP port on 127.0.0.1 that nothing listened on a moment ago (the kernel's pick for port
    0). Another process may take it before the caller binds it: callers retry with another."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def self_signed_certificate(directory, certificate_name="server.crt", key_name="server.key"):
    """Makes a throwaway self-signed certificate for 127.0.0.1 (an IP subjectAltName, so a client
    can verify it by address) in a new `directory` only its owner may enter; returns the paths of
    the certificate and of its key. Needs openssl."""
    os.makedirs(directory, mode=0o700)
    certificate = os.path.join(directory, certificate_name)
    key = os.path.join(directory, key_name)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", certificate],
                   check=True, stdin=subprocess.DEVNULL, capture_output=True)
    return certificate, key


def start(binary, database, extra=()):
    """Starts `binary serve` on a free loopback port with `database` and `extra` arguments; returns
    (process, base URL) once it listens. Its stderr is left to the caller's reading or closing."""
    process = subprocess.Popen(
        [binary, "serve", "--listen", "127.0.0.1:0", "--db", database, *extra],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    for line in process.stderr:
        record = json.loads(line)
        if record.get("msg") == "listening":
            # Keep draining the log, so that a chatty server never blocks on a full pipe.
            threading.Thread(target=process.stderr.read, daemon=True).start()
            return process, "http://" + record["address"]
    process.wait()
    raise SystemExit("the server exited before listening")


@contextlib.contextmanager
def serving(binary, extra=(), database=None):
    """`binary serve` on a free loopback port with `database` (default: one of its own in a
    temporary folder) and `extra` arguments; yields its base URL and stops it (SIGTERM) on the way
    out. No timed wait: under libfaketime (the suite run at another instant) Python's timed sleeps
    fail with EINVAL; CTest's timeout bounds a hang."""
    with tempfile.TemporaryDirectory() as directory:
        process, base = start(binary, database or os.path.join(directory, "p.db"), extra)
        try:
            yield base
        finally:
            process.terminate()
            process.wait()


def log_exchange(method, target, status, headers, body):
    """Appends the reply to the exchange log that CTest's openapi_responses test validates against
    api/openapi.yaml, when PATCHCAST_RESPONSE_LOG names it: one JSON line in the format of
    tests/support/raw_http.h, written in one append."""
    path = os.environ.get("PATCHCAST_RESPONSE_LOG")
    if not path:
        return
    line = json.dumps({"method": method, "target": target, "status": status,
                       "headers": {name.lower(): value for name, value in headers.items()},
                       "body": body.decode("utf-8", "replace")}) + "\n"
    with open(path, "a", encoding="utf-8") as log:
        log.write(line)


def fetch(base, path, body=None, content_type="application/json", method=None, headers=None):
    """(status, headers, body bytes) of a GET, or of a POST (or `method`) of the `body` bytes as
    `content_type`, with the request `headers` (a dict) added; 3xx, 4xx and 5xx answers too."""
    request = urllib.request.Request(base + path, data=body, method=method,
                                     headers=headers or {})
    if body is not None:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, headers, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, raw = error.code, error.headers, error.read()
    log_exchange(request.get_method(), path, status, headers, raw)
    return status, headers, raw


def fetch_json(base, path, body=None):
    """fetch() with the body parsed as JSON."""
    status, headers, raw = fetch(base, path, body)
    return status, headers, json.loads(raw)


class NumberedBatches:
    """Uploads of `size` points each to `series` (a path, "/v1/series/x"): batch b covers its own
    `size` minutes from `start` (Unix seconds on the minute), each value saying which batch and
    point it is, so that a lost, torn or misplaced write shows on reading back, and the values do
    not compress away."""

    def __init__(self, series, size, start):
        self.series, self.size, self.start = series, size, start

    def first(self, batch):
        return self.start + 60 * self.size * batch

    def csv(self, batch):
        first = self.first(batch)
        rows = (f"{first + 60 * i},{batch * self.size + i}" for i in range(self.size))
        return ("ts,value\n" + "\n".join(rows) + "\n").encode()

    def upload(self, base, batch):
        """fetch()'s (status, headers, body) of the upload of `batch`."""
        return fetch(base, self.series + "/points", self.csv(batch), content_type="text/csv")

    def values(self, batch):
        """The values `batch` uploads, in time order."""
        return [batch * self.size + i for i in range(self.size)]

    def read_back(self, base, batch):
        """The values read in the minutes of `batch`, in time order, None for a minute the series
        has no value for (a gap inside it reads as an empty CSV field); None instead of the list
        when the read is not answered 200."""
        first = self.first(batch)
        status, _, raw = fetch(base, f"{self.series}/points?format=csv&from={first}"
                                     f"&to={first + 60 * self.size}")
        if status != 200:
            return None
        fields = (line.split(",")[1] for line in raw.decode().splitlines()[1:])
        return [float(field) if field else None for field in fields]

    def reads_back(self, base, batch):
        """Whether the points of `batch` read back exactly as uploaded."""
        return self.read_back(base, batch) == self.values(batch)

