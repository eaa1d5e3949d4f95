"""TLS to PostgreSQL through libpq's sslmode (issue 17): on a throwaway cluster that refuses TCP
connections without TLS, the real binary given `?sslmode=verify-full&sslrootcert=...` starts,
stores and serves, and every connection it holds is encrypted (pg_stat_ssl); without TLS, or with
a root certificate that did not sign the server's, start-up stops with exit status 1 and says why.

Usage: python3 tests/e2e/postgres_tls_test.py PATH_TO_PATCHCAST
Exits 0 when every check passes, 1 when one fails, 77 (skipped) when PostgreSQL or openssl is not
installed.
"""
import os
import shutil
import subprocess
import sys
import tempfile

from e2e_service import Failures, NumberedBatches, SKIPPED, self_signed_certificate, serving
from pg_cluster import PgCluster, bin_dir

DATABASE = "patchcast"
BATCHES = NumberedBatches("/v1/series/logins", 60, 946_684_800)  # from 2000-01-01T00:00:00Z

# The service's connections to the database, by whether they are encrypted.
CONNECTIONS_BY_TLS = f"""
SELECT count(*) FILTER (WHERE s.ssl), count(*) FILTER (WHERE NOT s.ssl)
FROM pg_stat_ssl AS s JOIN pg_stat_activity AS a USING (pid)
WHERE a.datname = '{DATABASE}' AND a.pid <> pg_backend_pid()"""


def skip_unless_tools():
    if bin_dir() is None:
        print("SKIP: PostgreSQL is not installed (apt-get install postgresql)", file=sys.stderr)
        sys.exit(SKIPPED)
    if shutil.which("openssl") is None:
        print("SKIP: openssl is not installed", file=sys.stderr)
        sys.exit(SKIPPED)


def start_up_error(binary, url):
    """Starts `binary serve` on `url`, which must fail at start-up; returns its exit status and
    its log."""
    run = subprocess.run([binary, "serve", "--listen", "127.0.0.1:0", "--db", url],
                         stdin=subprocess.DEVNULL, capture_output=True, text=True)
    return run.returncode, run.stderr


def check_served_over_tls(binary, cluster, url, failures):
    with serving(binary, database=url) as base:
        batch = 0
        status, _, body = BATCHES.upload(base, batch)
        failures.check(status == 200, f"an upload over TLS answered {status}: {body}")
        failures.check(BATCHES.reads_back(base, batch), "the upload did not read back")
        encrypted, plain = (int(n) for n in cluster.psql(DATABASE, CONNECTIONS_BY_TLS)[0])
        failures.check(encrypted >= 1, "the service holds no encrypted connection")
        failures.check(plain == 0, f"the service holds {plain} unencrypted connections")


def check_refused(binary, url, expected, failures):
    status, log = start_up_error(binary, url)
    failures.check(status == 1, f"start-up with {url} exited {status}, not 1")
    failures.check(expected in log, f"start-up with {url} did not say '{expected}':\n{log}")


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    binary = sys.argv[1]
    skip_unless_tools()
    failures = Failures()
    with tempfile.TemporaryDirectory() as directory:
        certificate, key = self_signed_certificate(os.path.join(directory, "server"))
        stranger, _ = self_signed_certificate(os.path.join(directory, "stranger"))
        with PgCluster(tls=(certificate, key)) as cluster:
            cluster.create_database(DATABASE)
            base_url = cluster.url(DATABASE)
            check_served_over_tls(
                binary, cluster, f"{base_url}?sslmode=verify-full&sslrootcert={certificate}",
                failures)
            check_refused(binary, f"{base_url}?sslmode=disable", "no encryption", failures)
            check_refused(binary, f"{base_url}?sslmode=verify-full&sslrootcert={stranger}",
                          "certificate verify failed", failures)
    return failures.report("postgres_tls")


if __name__ == "__main__":
    sys.exit(main())
