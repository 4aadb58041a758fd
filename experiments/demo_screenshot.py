"""docs/figures/demo.png: a screenshot of the teaching demo as a class would see it.

Starts ``simgov demo`` on a free loopback port, opens it in Debian's chromium (Playwright's
Python package, no browser download), switches door-knocking on, steps to week 40, switches
the micro-venture fund on, steps to week 80, and saves the page. ``--lang zh --size 1024x768``
shows it as on a classroom projector in Chinese (docs/figures/demo-zh-1024.png; with ``--plots``,
scrolled down to the live plots: demo-zh-1024-plots.png).

    .venv/bin/python experiments/demo_screenshot.py [--out docs/figures/demo.png]
        [--lang zh] [--size 1024x768] [--plots]
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
    p.add_argument("--lang", choices=("en", "zh"), default="en")
    p.add_argument("--size", default="1500x960", help="browser window, WIDTHxHEIGHT")
    p.add_argument("--plots", action="store_true", help="scroll the live plots into view first")
    args = p.parse_args()
    width, height = (int(x) for x in args.size.split("x"))
    step_name, switch = {"en": ("Step", ("Door-knocking", "Micro-venture fund")),
                         "zh": ("单步", ("天天敲门", "微创投"))}[args.lang]
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
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(url)
            if args.lang == "zh":
                page.get_by_role("button", name="中文").click()
            week = page.locator(".simgov-monitor-week .simgov-value")
            week.wait_for(timeout=60_000)
            step = page.get_by_role("button", name=step_name, exact=True)

            def step_to(target: int) -> None:
                while int(week.inner_text()) < target:
                    n = int(week.inner_text())
                    step.click()
                    page.wait_for_function("n => document.querySelector('.simgov-monitor-week .simgov-value')"
                                           ".innerText === String(n)", arg=n + 1)

            page.get_by_role("switch", name=switch[0]).check(force=True)  # vuetify's ripple covers it
            step_to(40)
            page.get_by_role("switch", name=switch[1]).check(force=True)
            step_to(80)
            page.wait_for_timeout(1000)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            if args.plots:
                page.locator(".simgov-plots").scroll_into_view_if_needed()
                page.wait_for_timeout(500)
            page.screenshot(path=args.out)
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
