"""A throwaway PostgreSQL server for the Python end-to-end tests, made with Debian's own binaries:
the Python twin of tests/support/pg_cluster.h.

`with PgCluster() as cluster:` runs initdb into a fresh temporary directory and starts the server
with pg_ctl on a free loopback port, its unix socket in that directory, trusting every local
connection as superuser "patchcast". PostgreSQL refuses to run as root, so when the tests run as
root its binaries run as `nobody` (the directory is handed to it); otherwise as the current user.
Leaving the block stops the server (immediate mode: nothing in it is worth keeping) and removes
the directory, on failure too. `PgCluster(tls=(certificate, key))` serves TLS with that pair and
refuses every TCP connection without it (pg_hba.conf's hostnossl ... reject). Not thread-safe: start, query and stop from one thread; the server
itself serves any number of connections.
"""
import glob
import os
import pwd
import shutil
import subprocess
import tempfile

from e2e_service import free_loopback_port

SUPERUSER = "patchcast"
PORT_TRIES = 3  # another process may take the free port before the server binds it
TOOLS = ("initdb", "pg_ctl", "psql")


class PgClusterError(Exception):
    """initdb, pg_ctl or psql failed; the message has the tail of its log."""


def major_version(bin_path):
    """15 for /usr/lib/postgresql/15/bin; -1 for a folder not named by a number."""
    name = os.path.basename(os.path.dirname(bin_path))
    return int(name) if name.isdigit() else -1


def bin_dir():
    """The directory holding initdb, pg_ctl and psql: $PATCHCAST_PG_BINDIR when set, else the
    newest /usr/lib/postgresql/<version>/bin that has them; None when there is none."""
    chosen = os.environ.get("PATCHCAST_PG_BINDIR")
    candidates = [chosen] if chosen else sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                                key=major_version, reverse=True)
    for directory in candidates:
        if all(os.access(os.path.join(directory, tool), os.X_OK) for tool in TOOLS):
            return directory
    return None


def tool_account():
    """subprocess arguments that run a PostgreSQL server binary as `nobody` when we are root (it
    refuses to run as root), else nothing."""
    if os.geteuid() != 0:
        return {}
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        raise PgClusterError("running as root, and there is no user 'nobody' to run PostgreSQL as")
    return {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}


def tail(path, characters=2000):
    try:
        with open(path, encoding="utf-8", errors="replace") as log:
            return log.read()[-characters:]
    except OSError:
        return ""


class PgCluster:
    """A started PostgreSQL server in a temporary directory (see the module's docstring)."""

    def __init__(self, tls=None):
        self.tls = tls
        self.bin = bin_dir()
        if self.bin is None:
            raise PgClusterError("PostgreSQL is not installed")
        self.account = tool_account()
        self.dir = None
        self.port = None
        self.running = False

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix="patchcast-pg-")
        try:
            self.start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        if self.running:
            self.run_tool(["pg_ctl", "-D", self.data, "-m", "immediate", "-w", "-s", "stop"])
            self.running = False
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    @property
    def data(self):
        return os.path.join(self.dir, "data")

    @property
    def tool_log(self):
        return os.path.join(self.dir, "tools.log")

    def run_tool(self, argv):
        """Runs the server binary argv[0] of the bin directory to completion in the cluster's
        directory, as its account, its output appended to tools.log; returns the exit status."""
        with open(self.tool_log, "ab") as log:
            return subprocess.run([os.path.join(self.bin, argv[0]), *argv[1:]], cwd=self.dir,
                                  stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                  **self.account).returncode

    def start(self):
        if self.account:
            os.chown(self.dir, self.account["user"], self.account["group"])
        # --no-sync and fsync=off: a throwaway cluster need not survive a power cut, and runs
        # faster.
        if self.run_tool(["initdb", "-D", self.data, "-U", SUPERUSER, "-A", "trust",
                          "--no-locale", "-E", "UTF8", "--no-sync", "--no-instructions"]) != 0:
            raise PgClusterError("initdb failed:\n" + tail(self.tool_log))
        tls_options = self.require_tls() if self.tls else ""
        server_log = os.path.join(self.dir, "server.log")
        for _ in range(PORT_TRIES):
            self.port = free_loopback_port()
            options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                       "-c fsync=off -c max_connections=200" + tls_options)
            if self.run_tool(["pg_ctl", "-D", self.data, "-l", server_log, "-w", "-t", "60",
                              "-s", "-o", options, "start"]) == 0:
                self.running = True
                return
        raise PgClusterError("pg_ctl start failed:\n" + tail(self.tool_log) + "\n" +
                             tail(server_log))

    def require_tls(self):
        """Copies the certificate and key into the data directory, owned by the server's account
        (PostgreSQL refuses a key others may read), refuses TCP connections without TLS, and
        returns the server options that turn TLS on."""
        for source, name in zip(self.tls, ("server.crt", "server.key")):
            target = os.path.join(self.data, name)
            shutil.copyfile(source, target)
            os.chmod(target, 0o600)
            if self.account:
                os.chown(target, self.account["user"], self.account["group"])
        hba = os.path.join(self.data, "pg_hba.conf")
        with open(hba, encoding="utf-8") as rules:
            existing = rules.read()
        with open(hba, "w", encoding="utf-8") as rules:  # the first matching line decides
            rules.write("hostnossl all all all reject\n" + existing)
        return " -c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key"

    def url(self, database):
        """postgresql://patchcast@127.0.0.1:<port>/<database>: TCP on loopback, no password."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name):
        self.psql("postgres", f'CREATE DATABASE "{name}"')

    def psql(self, database, sql):
        """The rows `sql` returns in `database`, each a list of column texts. A client needs no
        account of its own: it runs as the caller."""
        result = subprocess.run(
            [os.path.join(self.bin, "psql"), "-X", "-q", "-A", "-t", "-F", "\t",
             "-v", "ON_ERROR_STOP=1", "-d", self.url(database), "-c", sql],
            stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if result.returncode != 0:
            raise PgClusterError(f"psql {sql!r}: {result.stderr.strip()}")
        return [line.split("\t") for line in result.stdout.splitlines()]
