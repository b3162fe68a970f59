"""Start and stop a throwaway PostgreSQL 15 cluster for tests and benchmarks.

PostgreSQL refuses to run as root, and tests run as root here and in CI, so
the cluster belongs to a system user (`pgtest`, created when missing) and its
commands run through `runuser`. The cluster listens on 127.0.0.1 and a free
port, skips every fsync (its data is thrown away), and is removed on stop.

As a script it runs one command with DATABASE_URL pointing at a fresh cluster:

    python tests/pgcluster.py python scripts/bench_nurse.py
"""
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

SYSTEM_USER = "pgtest"
SUPERUSER = "postgres"
# Durability is pointless for a cluster that lives for one test session.
SERVER_OPTIONS = "-F -c full_page_writes=off -c synchronous_commit=off -c max_connections=200"


class ClusterError(RuntimeError):
    """The cluster could not be created or started."""


def server_bindir():
    """Return the folder of `initdb` and `pg_ctl`."""
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    try:
        found = subprocess.run(["pg_config", "--bindir"], check=True, capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError) as error:
        raise ClusterError("PostgreSQL server binaries not found (initdb, pg_config)") from error
    return Path(found.stdout.strip())


def _free_port():
    """Return a loopback port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ensure_system_user():
    """Create the unprivileged owner of the cluster if it does not exist."""
    try:
        return pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", SYSTEM_USER],
                       check=True, capture_output=True)
        return pwd.getpwnam(SYSTEM_USER)


class Cluster:
    """One PostgreSQL cluster in a temporary folder."""

    def __init__(self):
        self.bindir = None
        self.base = Path(tempfile.mkdtemp(prefix="pain-triage-pg-"))
        self.data = self.base / "data"
        self.port = None
        self.as_root = os.geteuid() == 0

    @property
    def url(self):
        """The SQLAlchemy URL of the maintenance database."""
        return self.url_for("postgres")

    def url_for(self, database):
        """The SQLAlchemy URL of one database of the cluster."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args):
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", SYSTEM_USER, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise ClusterError(f"{args[0]} failed: {result.stderr.strip() or result.stdout.strip()}")

    def start(self):
        """Create the cluster and start its server; clean up and raise if that fails."""
        try:
            self._create_and_start()
        except BaseException:
            self.stop()
            raise
        return self

    def _create_and_start(self):
        self.bindir = server_bindir()
        if self.as_root:
            owner = _ensure_system_user()
            os.chown(self.base, owner.pw_uid, owner.pw_gid)
        self._run("initdb", "-U", SUPERUSER, "-A", "trust", "--no-sync", "-E", "UTF8",
                  "--locale=C", "-D", str(self.data))
        self.port = _free_port()
        self._start_server()

    def _start_server(self):
        options = f"-p {self.port} -h 127.0.0.1 -k {self.base} {SERVER_OPTIONS}"
        log = self.base / "server.log"
        try:
            self._run("pg_ctl", "start", "-w", "-D", str(self.data), "-l", str(log), "-o", options)
        except ClusterError as error:
            server_says = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise ClusterError(f"{error}\n{server_says}") from None

    def pause(self):
        """Stop the server mid-run, keeping its data (see `resume`).

        A fast shutdown: it drops every client at once, like an outage, but first writes what
        was committed (this cluster skips fsync and synchronous commit, so a crash would not).
        """
        self._run("pg_ctl", "stop", "-m", "fast", "-w", "-D", str(self.data))

    def resume(self):
        """Start the paused server again on the same port."""
        self._start_server()

    def stop(self):
        """Stop the server and delete every file of the cluster."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "stop", "-m", "immediate", "-w", "-D", str(self.data))
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


@contextmanager
def running_cluster():
    """Yield a started cluster; stop and remove it afterwards."""
    cluster = Cluster()
    try:
        yield cluster.start()
    finally:
        cluster.stop()


def main(argv):
    """Run one command with DATABASE_URL set to a throwaway cluster."""
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    with running_cluster() as cluster:
        env = dict(os.environ, DATABASE_URL=cluster.url)
        return subprocess.run(argv, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
