"""Storage faults, end to end (issue 13), against the real binary:
- a database write-locked by another process: the upload gets 503 with Retry-After and the JSON
  error, reads still answer, and the same upload succeeds once the lock is released;
- a full disk (a small tmpfs, so this part needs root to mount it and is skipped without): uploads
  get 507 with the JSON error, the service stays up, every acknowledged upload reads back whole,
  and uploads succeed again once space is freed; after a restart the file passes SQLite's
  integrity_check.

Usage: python3 tests/e2e/storage_faults_test.py PATH_TO_PATCHCAST
"""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

from e2e_service import Failures, NumberedBatches, SKIPPED, fetch, serving

# Uploads of 20,000 points (~0.5 MB of CSV, enough to fill a small disk quickly) from
# 2000-01-01T00:00:00Z: far enough back that a full disk comes before the future does.
BATCHES = NumberedBatches("/v1/series/login", 20_000, 946_684_800)


def error_code(raw):
    try:
        return json.loads(raw)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


def check_locked_database(binary, failures):
    with tempfile.TemporaryDirectory() as directory:
        database = os.path.join(directory, "p.db")
        with serving(binary, ["--busy-timeout", "100"], database=database) as base:
            status, _, raw = BATCHES.upload(base, 0)
            failures.check(status == 200, f"first upload: {status} {raw[:200]}")
            holder = sqlite3.connect(database, isolation_level=None, timeout=0)
            holder.execute("BEGIN IMMEDIATE")  # the write lock, held by another process's handle
            status, headers, raw = BATCHES.upload(base, 1)
            failures.check(status == 503, f"upload under another writer's lock: {status}")
            failures.check(headers.get("Retry-After", "").isdigit(),
                           f"503 without a Retry-After: {dict(headers)}")
            failures.check(error_code(raw) is not None, f"503 without the JSON error: {raw[:200]}")
            failures.check(BATCHES.reads_back(base, 0),
                           "reads failed while the database was locked")
            holder.execute("ROLLBACK")
            holder.close()
            status, _, raw = BATCHES.upload(base, 1)
            failures.check(status == 200, f"upload after the lock was released: {status}")
            failures.check(BATCHES.reads_back(base, 1),
                           "the upload after the lock did not read back")


def mount_small_disk(directory, megabytes):
    """Mounts a tmpfs of `megabytes` on `directory`; False when this machine does not allow it."""
    if os.geteuid() != 0:
        return False
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs",
                             directory],
                            capture_output=True, check=False)
    return result.returncode == 0


def fill_until_full(base, failures):
    """Uploads new batches until one is refused; returns (acknowledged batches, refused batch)."""
    acknowledged = []
    for batch in range(1000):
        status, _, raw = BATCHES.upload(base, batch)
        if status == 200:
            acknowledged.append(batch)
            continue
        failures.check(status == 507, f"upload on a full disk: {status} {raw[:200]}")
        failures.check(error_code(raw) == "insufficient_storage",
                       f"507 without its JSON error: {raw[:200]}")
        return acknowledged, batch
    failures.fail("the disk never filled up")
    return acknowledged, None


def check_full_disk(binary, failures):
    with tempfile.TemporaryDirectory() as directory:
        if not mount_small_disk(directory, 12):
            return False
        try:
            filler = os.path.join(directory, "filler")
            with open(filler, "wb") as file:
                file.write(os.urandom(3 << 20))
            database = os.path.join(directory, "p.db")
            with serving(binary, database=database) as base:
                acknowledged, refused = fill_until_full(base, failures)
                failures.check(len(acknowledged) >= 3,
                               f"only {len(acknowledged)} uploads fit before the disk was full")
                print(f"full disk: {len(acknowledged)} uploads of {BATCHES.size} points "
                      f"acknowledged, then upload {refused} refused")
                status, _, _ = fetch(base, "/healthz")
                failures.check(status == 200, f"/healthz on a full disk: {status}")
                torn = [b for b in acknowledged if not BATCHES.reads_back(base, b)]
                failures.check(not torn, f"acknowledged uploads lost or torn: {torn}")
                os.remove(filler)
                if refused is not None:
                    status, _, raw = BATCHES.upload(base, refused)
                    failures.check(status == 200,
                                   f"upload after space was freed: {status} {raw[:200]}")
                    acknowledged.append(refused)
            with serving(binary, database=database) as base:
                torn = [b for b in acknowledged if not BATCHES.reads_back(base, b)]
                failures.check(not torn, f"after a restart, uploads lost or torn: {torn}")
            connection = sqlite3.connect(database)
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
            connection.close()
            failures.check(verdict == "ok", f"integrity_check after the full disk: {verdict}")
        finally:
            if subprocess.run(["umount", directory], check=False).returncode != 0:
                subprocess.run(["umount", "--lazy", directory], check=False)
    return True


def main():
    binary = sys.argv[1]
    failures = Failures()
    check_locked_database(binary, failures)
    mounted = check_full_disk(binary, failures)
    status = failures.report("storage faults")
    if status == 0 and not mounted:
        print("cannot mount a tmpfs here (needs root): the full-disk part is skipped",
              file=sys.stderr)
        return SKIPPED
    return status


if __name__ == "__main__":
    sys.exit(main())
