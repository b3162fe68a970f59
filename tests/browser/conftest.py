"""Real-browser fixtures: the app served from a thread, Debian's Chromium driven by Playwright.

These tests never skip: a machine without Chromium fails them with a message saying how to
install it (the setup tries `apt-get install -y chromium` itself when it runs as root).
"""
import os
import shutil
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from conftest import REPO, make_app
from web.extensions import db

DEBIAN_CHROMIUM = "/usr/bin/chromium"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", DEBIAN_CHROMIUM))
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = REPO / "test-output" / "screenshots"


def _install_chromium():
    """Install Debian's Chromium when we may (root with apt-get); otherwise leave it to the message."""
    if CHROMIUM.exists() or str(CHROMIUM) != DEBIAN_CHROMIUM:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return
    subprocess.run(["apt-get", "install", "-y", "chromium"], check=False, timeout=900,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture(scope="session")
def chromium_path():
    """The Chromium binary; the tests fail, never skip, without it."""
    _install_chromium()
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}. Install it with `apt-get install -y chromium` "
                    "(or set CHROMIUM_PATH); browser tests are never skipped.")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app with CSRF checks on, as in production."""
    app = make_app(tmp_path_factory.mktemp("browser"), WTF_CSRF_ENABLED=True)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@contextmanager
def serve(app):
    """Serve an app on a free loopback port from a thread; yield its address.

    Threaded: Chromium may open a spare connection and keep it idle, which would block a
    server that handles one connection at a time.
    """
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def base_url(live_app):
    """Serve the app on a free loopback port for the length of the session."""
    with serve(live_app) as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium_path):
    """One headless Chromium for the whole session."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, base_url):
    """A fresh browser context (its own cookies) at phone size."""
    context = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def screenshots():
    """The folder for screenshots (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
