"""The teaching demo end to end in a real browser: ``simgov demo`` on a free loopback port,
Debian's chromium driven by Playwright's Python package (nothing is downloaded: ``./dev test``
installs chromium with apt), Step clicked several times; the week counter and the plots must
change, with no page error, no failed request and no request to any other host."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlparse

import pytest

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed (./dev test installs it with apt-get when run as root; "
           "or: apt-get install chromium)")
STEPS = 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_serving(url: str, server: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"simgov demo exited with {server.returncode}: {server.stdout.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"simgov demo did not serve {url} within {timeout:.0f} s")


@pytest.fixture
def demo_server():
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen([sys.executable, "-m", "simgov", "demo", "--port", str(port), "--no-browser"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                              start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_serving(url, server)
        yield url
    finally:  # always stop the server, and anything it started
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def test_the_demo_steps_in_a_browser_offline(demo_server, tmp_path):
    started = time.monotonic()
    page_errors, failed, foreign, bad_status = [], [], [], []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.on("pageerror", lambda e: page_errors.append(str(e)))
            page.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
            page.on("response", lambda r: bad_status.append(f"{r.url}: {r.status}") if r.status >= 400 else None)

            def on_request(request):
                parsed = urlparse(request.url)
                if parsed.scheme not in ("data", "blob") and parsed.hostname not in ("127.0.0.1", "localhost"):
                    foreign.append(request.url)

            page.on("request", on_request)
            page.goto(demo_server)
            week = page.locator(".simgov-monitor-week .simgov-value")
            week.wait_for(timeout=60_000)
            assert week.inner_text() == "0"
            plots = page.locator("img.simgov-plots")
            plots.wait_for()
            before = plots.screenshot()
            step = page.get_by_role("button", name="Step")
            for k in range(1, STEPS + 1):
                step.click()
                page.wait_for_function(
                    "n => document.querySelector('.simgov-monitor-week .simgov-value').innerText === String(n)",
                    arg=k, timeout=20_000)
            assert week.inner_text() == str(STEPS)
            page.wait_for_timeout(500)  # let the last picture arrive
            assert plots.screenshot() != before
            page.screenshot(path=tmp_path / "demo.png")
        finally:
            browser.close()
    assert (tmp_path / "demo.png").stat().st_size > 10_000
    assert page_errors == [] and failed == [] and bad_status == [] and foreign == []
    assert time.monotonic() - started < 60
