"""Start the teaching demo's server (``simgov demo``): offline, private, on the loopback by default.

Classrooms are often behind firewalls, and a tool used by public administrations should not
report on its users, so before Solara is imported (its settings are read at import):

- every script, style and font comes from the ``solara-assets`` package through Solara's own
  server, and the CDN Solara would fall back on for a missing file is pointed at a closed
  loopback port, so that a missing asset fails here, visibly, instead of being fetched;
- usage telemetry (Mixpanel) and the check for a newer Solara on PyPI are off.

The ``demo`` extra pins a set of versions that works this way (solara-assets must match
solara exactly); ``missing_extra`` says what is missing without importing anything.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
import warnings
from importlib import metadata

from simgov.demo.levers import SCENARIO_ENV, demo_scenario
from simgov.errors import InputError, Problem

#: Distributions of the ``demo`` extra the app needs at run time.
DEMO_DISTRIBUTIONS = ("solara", "solara-assets", "ipyvue", "ipyvuetify", "altair", "markdown")
#: Where Solara would fetch an asset solara-assets lacks: a closed port, so nothing leaves the machine.
NO_CDN = "http://127.0.0.1:9/no-cdn/"
OFFLINE_ENVIRONMENT = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
    "SOLARA_ASSETS_PROXY": "true",  # serve assets from our server (solara-assets fills its cache)
    "SOLARA_ASSETS_CDN": NO_CDN,
    "SOLARA_THEME_TITLE": "simgov teaching demo",
    "SOLARA_THEME_SHOW_BANNER": "false",  # no "runs on Solara" link on the page
}
INSTALL_HINT = ("install the demo extra: in the source folder ./dev simgov demo, or pip install '.[demo]' "
                "(simgov is not on a package index)")


def missing_extra() -> list[str]:
    """What is missing or mismatched among the ``demo`` extra's packages (empty if all is well)."""
    versions, missing = {}, []
    for name in DEMO_DISTRIBUTIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
    if "solara" in versions and "solara-assets" in versions and versions["solara"] != versions["solara-assets"]:
        missing.append(f"solara-assets {versions['solara']} (found {versions['solara-assets']}, which does not "
                       f"match solara {versions['solara']})")
    return missing


def check_extra() -> None:
    missing = missing_extra()
    if missing:
        raise InputError(Problem(f"the teaching demo needs the optional 'demo' dependencies, which are not all "
                                 f"installed (missing: {', '.join(missing)}); {INSTALL_HINT}"))


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def reserve_port(host: str, port: int) -> int:
    """``port`` if it is free on ``host`` (a free one if 0); an input error naming the option if not."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror as exc:
        raise InputError(Problem(f"cannot use host '{host}': {exc.strerror}", path="--host")) from None
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            what = "--port" if exc.errno in (98, 48, 10048, 13) else "--host"  # in use / not permitted
            raise InputError(Problem(f"cannot listen on {host}:{port}: {exc.strerror}"
                                     + ("; choose another port, or 0 for any free one" if what == "--port" else ""),
                                     path=what)) from None
        return sock.getsockname()[1]


def url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve(scenario: str, host: str = "127.0.0.1", port: int = 8765, open_browser: bool = True) -> int:
    """Run the demo's server until interrupted (Ctrl-C), after checking the extra, the scenario
    (a bundled one small enough to draw) and that ``host:port`` is free."""
    check_extra()
    demo_scenario(scenario)
    port = reserve_port(host, port)
    os.environ.update(OFFLINE_ENVIRONMENT)
    os.environ[SCENARIO_ENV] = scenario
    if "solara" in sys.modules:  # imported already (e.g. in a notebook): set what the environment would have
        import solara.server.settings as server_settings
        import solara.settings

        server_settings.telemetry.mixpanel_enable = False
        solara.settings.assets.cdn = NO_CDN
    import click
    from solara.__main__ import cli as solara_cli

    # Solara warns on every page load from 127.0.0.1 (not "localhost") that its session cookie
    # falls back to SameSite=lax: that is what a local app wants, so say nothing.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https", category=UserWarning)

    print(f"simgov demo: the teaching demo ({scenario}) is at {url(host, port)} (Ctrl-C to stop)", flush=True)
    if not is_loopback(host):
        print(f"simgov demo: note: listening on {host}, so other machines on the network can open it; "
              "it has no password", flush=True)
    try:
        solara_cli.main(args=["run", "simgov.demo.app:Page", "--host", host, "--port", str(port), "--production",
                              "--no-check-version", "--open" if open_browser else "--no-open",
                              "--log-level-uvicorn", "warning"],
                        prog_name="simgov demo", standalone_mode=False)
    except click.exceptions.Abort:  # click's word for an interrupt (Ctrl-C, SIGTERM): exit 130 / 143 as usual
        raise KeyboardInterrupt from None
    return 0
