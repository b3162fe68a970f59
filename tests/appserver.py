"""Start one gunicorn instance of the app on a free loopback port, as deploy/ describes.

The instance runs in its own process group, so a test can kill it whole (master and
workers at once, as when a server dies) with SIGKILL.
"""
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from pgcluster import _free_port

REPO = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
CONFIG = REPO / "deploy" / "gunicorn.conf.py"
START_SECONDS = 60


class AppServerError(RuntimeError):
    """The instance did not start."""


class AppServer:
    """One gunicorn master with its sync workers."""

    def __init__(self, env, workers=2, app="web:create_app()", extra_args=()):
        self.env = env
        self.workers = workers
        self.app = app
        self.extra_args = list(extra_args)
        self.port = None
        self.process = None
        self.log_file = tempfile.NamedTemporaryFile(prefix="pain-triage-gunicorn-", suffix=".log")
        self.launched_at = None
        self.started_in = None

    @property
    def url(self):
        """The instance's base address."""
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        """Start gunicorn and wait until /healthz answers 200 (bounded)."""
        return self.launch().wait_until_healthy()

    def launch(self):
        """Start gunicorn without waiting for it (start several, then wait for each)."""
        self.port = _free_port()
        command = [str(GUNICORN), "-c", str(CONFIG), "--workers", str(self.workers),
                   "--bind", f"127.0.0.1:{self.port}", *self.extra_args, self.app]
        self.launched_at = time.monotonic()
        self.process = subprocess.Popen(command, env=self.env, cwd=REPO, stdin=subprocess.DEVNULL,
                                        stdout=self.log_file, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        return self

    def wait_until_healthy(self):
        """Poll /healthz until it answers 200; stop the instance and raise if it never does."""
        try:
            self._poll_health()
        except BaseException:
            self.stop()
            raise
        self.started_in = time.monotonic() - self.launched_at
        return self

    def _poll_health(self):
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AppServerError(f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise AppServerError(f"gunicorn did not answer {self.url}/healthz in {START_SECONDS} s:\n{self.log()}")

    def kill(self):
        """Kill the master and every worker at once, with no chance to finish a request."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def request_stop(self):
        """Ask gunicorn to stop at once (SIGQUIT: its quick shutdown) without waiting."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)

    def stop(self):
        """Stop at once and wait; if gunicorn hangs, kill its whole group."""
        if self.process is None or self.process.poll() is not None:
            return
        self.request_stop()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            # Not reaped yet, so the group id is still this master's.
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def log(self):
        """Return what gunicorn and the app wrote so far."""
        self.log_file.flush()
        return Path(self.log_file.name).read_text(errors="replace")

    def close(self):
        """Stop and remove the log."""
        try:
            self.stop()
        finally:
            self.log_file.close()
