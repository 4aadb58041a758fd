"""The book of disputes: one row per dispute, in growable numpy arrays."""

from __future__ import annotations

import numpy as np

from simgov.streams import combine

#: A building issue settled at its source (e.g. a shared space rearranged) halves the
#: building's rate of such issues for good (assumption).
SOURCE_FIX_FACTOR = 0.5
#: What a dispute is about: between neighbours, a building's property or shared space (物业,
#: 公共空间), or what a building emergency left unresolved (simgov.shocks.building_emergency).
KINDS = ("neighbour", "building_issue", "building_emergency")


class DisputeBook:
    """Disputes, one row each, in growable numpy arrays (a small set: hundreds to thousands).

    Stages: 1 individual, 2 multi-party, 3 group dispute. ``closed`` is ``OPEN`` while open
    (weeks can be negative during the warm-up, so no small number can mean "open").
    """

    OPEN = np.iinfo(np.int32).max
    FIELDS = {
        "party_a": np.int32,  # one party (resident number)
        "party_b": np.int32,  # the other party
        "building": np.int32,  # the building where it arose
        "stage": np.int8,  # 1 individual, 2 multi-party, 3 group dispute
        "opened": np.int32,  # week it arose
        "closed": np.int32,  # week it was resolved; OPEN while open
        "relapses": np.int16,  # times it reopened after a resolution
        "mediated": np.bool_,  # settled by a service (mediation, deliberation) rather than informally
        "taken": np.bool_,  # ever taken in hand by a service (mediation, deliberation)
        "tried_stage": np.int8,  # stage at which a service last failed to settle it (0: never); not retried there
        "relapse_factor": np.float32,  # multiplies its relapse hazard (the settling service's)
        "willingness": np.float32,  # uniform draw in [0, 1): its parties accept a service whose uptake exceeds it
        "kind": np.int8,  # index into KINDS: 0 between neighbours, > 0 a building issue (the property side's)
        "property_tried": np.int8,  # stage at which the property side last failed to settle it (0: never)
        "key": np.uint64,  # key of its random draws, from its origin (parties, building, stage, week opened)
    }

    def __init__(self, capacity: int = 256):
        self.size = 0
        self._data = {k: np.zeros(capacity, t) for k, t in self.FIELDS.items()}
        self.new_this_week = 0
        self.resolved_this_week = 0
        self.escalated_this_week = 0
        self.relapsed_this_week = 0
        self.handled_this_week = 0  # cases taken in hand by mediation or deliberation
        self.agreed_this_week = 0  # of which ended in agreement
        self.handled_by: dict[str, tuple[int, int]] = {}  # service -> (cases taken, agreed) this week
        self.property_settled_this_week = 0  # building issues the property side settled
        self._refresh_views()

    def _refresh_views(self) -> None:
        """``book.stage`` etc.: views of the rows in use (writes go to the book), kept as plain
        attributes (a week reads them a few hundred times) and renewed when the book grows."""
        for name, arr in self._data.items():
            self.__dict__[name] = arr[: self.size]

    def __getstate__(self):
        # The views would pickle as copies of their own: rebuilt from the book on unpickling.
        return {k: v for k, v in self.__dict__.items() if k not in self.FIELDS}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._refresh_views()

    def __len__(self) -> int:
        return self.size

    def open(self, party_a, party_b, building, stage, week: int, kind: int = 0) -> np.ndarray:
        """Open new disputes (arrays of equal length) of ``kind`` (KINDS); returns their row numbers."""
        party_a = np.atleast_1d(party_a)
        k = party_a.size
        if self.size + k > self._data["stage"].size:
            cap = max(2 * self._data["stage"].size, self.size + k)
            for key, arr in self._data.items():
                grown = np.zeros(cap, arr.dtype)
                grown[: self.size] = arr[: self.size]
                self._data[key] = grown
        rows = slice(self.size, self.size + k)  # a slice: each field written in one copy
        d = self._data
        d["party_a"][rows], d["party_b"][rows], d["building"][rows] = party_a, party_b, building
        d["stage"][rows], d["opened"][rows], d["closed"][rows] = stage, week, self.OPEN
        d["relapses"][rows] = 0
        d["mediated"][rows] = False
        d["taken"][rows] = False  # ever taken in hand by mediation or deliberation
        d["tried_stage"][rows] = 0  # the stage at which a service last failed to settle it (0: never)
        d["relapse_factor"][rows] = 1.0
        d["willingness"][rows] = np.nan  # drawn when a service first offers to take the case
        d["kind"][rows] = kind
        d["property_tried"][rows] = 0
        # Row numbers depend on every dispute before it; the origin is the same in every arm
        # (at most one dispute opens on a pair of parties in a building at a stage in a week;
        # an emergency's dispute adds its kind, so it never shares a building issue's key).
        emergency = (kind,) if kind == KINDS.index("building_emergency") else ()
        parts = (party_a, party_b, building, stage, week) + emergency
        d["key"][rows] = combine(*parts)
        self.size += k
        self._refresh_views()
        self.new_this_week += k
        return np.arange(rows.start, rows.stop)

    def resolve(self, rows: np.ndarray, week: int) -> None:
        """Close the open disputes among ``rows`` in ``week``."""
        rows = np.asarray(rows)
        rows = rows[self._data["closed"][rows] == self.OPEN]
        self._data["closed"][rows] = week
        self.resolved_this_week += rows.size

    def start_week(self) -> None:
        self.new_this_week = self.resolved_this_week = 0
        self.escalated_this_week = self.relapsed_this_week = 0
        self.handled_this_week = self.agreed_this_week = 0
        self.handled_by = {}
        self.property_settled_this_week = 0

    def open_mask(self) -> np.ndarray:
        return self.closed == self.OPEN

    def open_count(self) -> int:
        return int(np.count_nonzero(self.open_mask()))

    def group_open_count(self) -> int:
        return int(np.count_nonzero((self.stage == 3) & self.open_mask()))
