"""Start and stop a throwaway Redis (Debian's `redis-server`) for tests and benchmarks.

Like the PostgreSQL cluster of `pgcluster.py`, it never runs as root: when the tests run
as root it runs as the unprivileged `pgtest` user. It listens on 127.0.0.1 and a free
port, keeps nothing on disk, and its folder is removed on stop.
"""
import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from pgcluster import _ensure_system_user, _free_port

START_SECONDS = 20


class RedisError(RuntimeError):
    """Redis could not be started."""


def ping(port, timeout=1.0):
    """Return True when a Redis server on this loopback port answers PING."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """One Redis server in a temporary folder."""

    def __init__(self):
        self.base = Path(tempfile.mkdtemp(prefix="pain-triage-redis-"))
        self.port = None
        self.process = None

    @property
    def url(self):
        """The storage URI for Flask-Limiter."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        """Start the server and wait until it answers; clean up and raise if it does not."""
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not os.access(binary, os.X_OK):
            raise RedisError("redis-server is missing: `make test` installs Debian's redis-server")
        self.port = _free_port()
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.base),
                   "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"]
        owner = {}
        if os.geteuid() == 0:
            user = _ensure_system_user()
            os.chown(self.base, user.pw_uid, user.pw_gid)
            owner = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
        log = open(self.base / "server.log", "wb")
        try:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, **owner)
        finally:
            log.close()
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_ready(self):
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                said = (self.base / "server.log").read_text(errors="replace")[-2000:]
                raise RedisError(f"redis-server exited with {self.process.returncode}: {said}")
            if ping(self.port):
                return
            time.sleep(0.05)
        raise RedisError(f"redis-server did not answer on port {self.port} within {START_SECONDS} s")

    def stop(self):
        """Stop the server and delete its folder."""
        try:
            if self.process is not None and self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


@contextmanager
def running_redis():
    """Yield a started Redis server; stop and remove it afterwards."""
    server = RedisServer()
    try:
        yield server.start()
    finally:
        server.stop()
