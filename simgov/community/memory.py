"""How much memory a run needs, estimated before anything is built.

Measured with ``benchmarks/bench_memory.py`` (peak RSS of a fresh process per size, 20
weeks, B community scaled from 6,221 to 2,000,000 residents, every mechanism on): a run
adds 800-850 bytes per resident at ~2.2 ties per resident, over a ~120 MiB process with
numpy, scipy, pandas and Mesa loaded. The constants below carry a ~25% margin over those
figures; ties per resident follow from the scenario's network settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import psutil

from simgov.errors import InputError, Problem

if TYPE_CHECKING:  # annotations only: importing the scenario package here would close a cycle
    from simgov.scenario import Scenario  # (scenario -> policies -> community.state -> community)

BYTES_PER_RESIDENT = 500  # state arrays and the temporaries of a weekly update
BYTES_PER_TIE = 230  # edge arrays, the CSR view and its derived matrices, the peak of building
BASE_BYTES = 160 * 2**20  # the Python process with numpy, scipy, pandas and Mesa loaded


def ties_per_resident(scenario: Scenario) -> float:
    c, net = scenario.community, scenario.network
    size = c.residents / c.households
    household = (size - 1) / 2 + 0.5  # pairs per resident for sizes spread around the mean
    neighbor = net.neighbor_span * net.neighbor_tie_prob / size
    return household + neighbor + (net.building_ties_per_resident + net.acquaintance_ties_per_resident) / 2


def estimate_bytes(scenario: Scenario) -> int:
    n = scenario.community.residents
    return int(BASE_BYTES + n * (BYTES_PER_RESIDENT + BYTES_PER_TIE * ties_per_resident(scenario)))


def check_memory(scenario: Scenario, available: int | None = None) -> int:
    """The estimate in bytes; an ``InputError`` if it exceeds 80% of the memory available."""
    need = estimate_bytes(scenario)
    if available is None:
        available = psutil.virtual_memory().available
    if need > 0.8 * available:
        raise InputError(Problem(
            f"{scenario.community.residents:,} residents need about {need / 2**30:.1f} GiB per run, "
            f"but only {available / 2**30:.1f} GiB of memory is available; use fewer residents "
            "or a larger machine", path="community.residents"))
    return need
