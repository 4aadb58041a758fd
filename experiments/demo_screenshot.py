"""docs/figures/demo.png: a screenshot of the teaching demo as a class would see it.

Starts ``simgov demo`` on a free loopback port, opens it in Debian's chromium (Playwright's
Python package, no browser download), switches door-knocking on, steps to week 40, switches
the micro-venture fund on, steps to week 80, and saves the page.

    .venv/bin/python experiments/demo_screenshot.py [--out docs/figures/demo.png]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "docs" / "figures" / "demo.png")
    args = p.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "simgov", "demo", "--port", str(port), "--no-browser"],
                              start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=shutil.which("chromium"),
                                         args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
            page = browser.new_page(viewport={"width": 1500, "height": 960})
            page.goto(url)
            week = page.locator(".simgov-monitor-week .simgov-value")
            week.wait_for(timeout=60_000)
            step = page.get_by_role("button", name="Step")

            def step_to(target: int) -> None:
                while int(week.inner_text()) < target:
                    n = int(week.inner_text())
                    step.click()
                    page.wait_for_function("n => document.querySelector('.simgov-monitor-week .simgov-value')"
                                           ".innerText === String(n)", arg=n + 1)

            page.get_by_role("switch", name="Door-knocking").check(force=True)  # vuetify's ripple covers it
            step_to(40)
            page.get_by_role("switch", name="Micro-venture fund").check(force=True)
            step_to(80)
            page.wait_for_timeout(1000)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=args.out)
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
