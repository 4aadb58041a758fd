"""A picture-ready sample of the community's network: residents placed by building and
household, their state, their ties and their open disputes.

Large communities are sampled by whole buildings (evenly spaced through the community), so
that what is drawn is a neighbourhood as it is, with all its ties among the residents shown.
"""

from __future__ import annotations

import numpy as np

#: Residents drawn at most (whole buildings are added while they fit).
MAX_RESIDENTS = 800
FIELDS = ("ids", "x", "y", "trust", "vulnerable", "volunteer", "party_member", "building",
          "edge_u", "edge_v", "edge_w", "dispute_a", "dispute_b", "dispute_stage", "buildings_total")


def sample_buildings(building_size: np.ndarray, max_residents: int = MAX_RESIDENTS) -> np.ndarray:
    """Buildings evenly spaced through the community whose residents fit in ``max_residents``
    (at least one building)."""
    order = np.argsort(np.arange(building_size.size) * 0.618034 % 1.0, kind="stable")  # evenly spread
    chosen, total = [], 0
    for b in order:
        if chosen and total + building_size[b] > max_residents:
            continue
        chosen.append(b)
        total += building_size[b]
    return np.sort(np.array(chosen, dtype=np.int64))


def layout(building: np.ndarray, household: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions: buildings as blocks on a grid, households on a grid within their block,
    members around their household's point (deterministic)."""
    x = np.zeros(building.size)
    y = np.zeros(building.size)
    blocks = np.unique(building)
    side = int(np.ceil(np.sqrt(blocks.size)))
    for k, b in enumerate(blocks):
        members = np.flatnonzero(building == b)
        homes, home_of = np.unique(household[members], return_inverse=True)
        cols = int(np.ceil(np.sqrt(homes.size)))
        hx, hy = home_of % cols, home_of // cols
        # place within the block (a unit square with a margin), then the block on the grid
        scale = 0.8 / max(cols, 1)
        rank = np.arange(members.size) - np.searchsorted(home_of, home_of)  # members of a home are consecutive
        angle = 2.0 * np.pi * (rank * 0.381966 % 1.0)
        spread = 0.28 * scale
        x[members] = (k % side) + 0.1 + (hx + 0.5) * scale + spread * np.cos(angle)
        y[members] = -(k // side) - 0.1 - (hy + 0.5) * scale + spread * np.sin(angle)
    return x, y


def snapshot(state, max_residents: int = MAX_RESIDENTS) -> dict[str, np.ndarray]:
    """The sampled neighbourhood now: positions, resident state, ties and open disputes (with their
    stage: 3 is a group dispute). ``ids`` are the residents' numbers, to look up any other state."""
    r, net, d = state.residents, state.network, state.disputes
    buildings = sample_buildings(state.building_size, max_residents)
    keep = np.isin(r.building, buildings)
    ids = np.flatnonzero(keep)
    index = np.full(r.n, -1, np.int64)
    index[ids] = np.arange(ids.size)
    x, y = layout(r.building[ids], r.household[ids])
    inside = keep[net.u] & keep[net.v]
    open_ = d.open_mask() if len(d) else np.zeros(0, bool)
    disputes = open_ & keep[d.party_a] & keep[d.party_b] if len(d) else open_
    return {
        "ids": ids, "x": x, "y": y, "trust": r.trust[ids].astype(np.float32), "vulnerable": r.vulnerable[ids],
        "volunteer": r.volunteer[ids], "party_member": r.party_member[ids], "building": r.building[ids],
        "edge_u": index[net.u[inside]], "edge_v": index[net.v[inside]],
        "edge_w": net.weight[inside].astype(np.float32),
        "dispute_a": index[d.party_a[disputes]] if len(d) else np.zeros(0, np.int64),
        "dispute_b": index[d.party_b[disputes]] if len(d) else np.zeros(0, np.int64),
        "dispute_stage": d.stage[disputes] if len(d) else np.zeros(0, np.int8),
        "buildings_total": np.array([state.building_size.size]),
    }
