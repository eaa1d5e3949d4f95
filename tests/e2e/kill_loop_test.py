"""kill -9 in a loop (issue 13): 10 times, the real binary is killed with SIGKILL while 4 writers
upload to it, and restarted on the same database. Afterwards every upload it acknowledged reads
back whole, what was stored is whole uploads only, and the file passes SQLite's integrity_check.
The kill comes when the cycle's uploads reach a count, not after a time.

Usage: python3 tests/e2e/kill_loop_test.py PATH_TO_PATCHCAST
"""
import itertools
import json
import os
import sqlite3
import sys
import tempfile
import threading
import urllib.error

from e2e_service import Failures, NumberedBatches, fetch, serving, start

CYCLES = 10
WRITERS = 4
ACKNOWLEDGED_PER_CYCLE = 100  # the kill comes once this many uploads of the cycle are answered 200
SERIES = "/v1/series/login"
BATCHES = NumberedBatches(SERIES, 500, 946_684_800)  # from 2000-01-01T00:00:00Z


class Cycle:
    """One life of the server: writers upload new batches until it is killed."""

    def __init__(self, base, batches):
        self.base = base
        self.batches = batches  # shared across cycles, so that every upload is a new batch
        self.acknowledged = []
        self.changed = threading.Condition()
        self.finished_writers = 0

    def write(self):
        try:
            while True:
                with self.changed:
                    batch = next(self.batches)
                status, _, _ = BATCHES.upload(self.base, batch)
                if status == 200:
                    with self.changed:
                        self.acknowledged.append(batch)
                        self.changed.notify_all()
        except (OSError, urllib.error.URLError):
            pass  # the server is gone
        finally:
            with self.changed:
                self.finished_writers += 1
                self.changed.notify_all()

    def run(self, process):
        writers = [threading.Thread(target=self.write) for _ in range(WRITERS)]
        for writer in writers:
            writer.start()
        with self.changed:
            self.changed.wait_for(lambda: len(self.acknowledged) >= ACKNOWLEDGED_PER_CYCLE or
                                  self.finished_writers == WRITERS)
        process.kill()
        process.wait()
        for writer in writers:
            writer.join()
        return list(self.acknowledged)


def main():
    binary = sys.argv[1]
    failures = Failures()
    batches = itertools.count()
    acknowledged = []
    with tempfile.TemporaryDirectory() as directory:
        database = os.path.join(directory, "p.db")
        for cycle in range(CYCLES):
            process, base = start(binary, database)
            answered = Cycle(base, batches).run(process)
            failures.check(len(answered) >= ACKNOWLEDGED_PER_CYCLE,
                           f"cycle {cycle}: only {len(answered)} uploads answered before the kill")
            acknowledged += answered
        with serving(binary, database=database) as base:
            torn = [batch for batch in acknowledged if not BATCHES.reads_back(base, batch)]
            failures.check(not torn, f"acknowledged uploads lost or torn: {torn[:20]}")
            _, _, raw = fetch(base, SERIES)
            stored = json.loads(raw)["point_count"]
            failures.check(stored % BATCHES.size == 0, f"{stored} points stored: a partial upload")
            failures.check(stored >= len(acknowledged) * BATCHES.size,
                           f"{stored} points stored for {len(acknowledged)} acknowledged uploads")
        connection = sqlite3.connect(database)
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
        connection.close()
        failures.check(verdict == "ok", f"integrity_check after the kills: {verdict}")
    print(f"kill -9 loop: {CYCLES} cycles, {WRITERS} writers, {len(acknowledged)} acknowledged "
          f"uploads of {BATCHES.size} points, all whole")
    return failures.report("kill -9 loop")


if __name__ == "__main__":
    sys.exit(main())
