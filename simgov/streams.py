"""Random streams: one seed fixes a run; a random event of one entity draws the same number
in every arm.

Two kinds of stream, both named (``"community"``, ``"needs"``, a policy's name ...) and
derived from the run seed and a stable hash of the name, so that adding, removing or
reordering one part never changes the draws of another:

- ``Streams[name]``: a numpy Generator, for the synthesis of the community (population,
  network), which runs before arms differ.
- ``Streams.keyed(name, clock)``: a :class:`KeyedStream` for everything that runs week by
  week (mechanisms, policies, the actors' set-up). A keyed draw is a pure function of
  (run seed, stream, week, entity key, slot): the same resident, household, tie,
  dispute, organisation or donor gets the same number in every arm in the same week,
  whatever else was drawn before it (exact common random numbers, as Starsim draws per
  agent by UID: Klein et al. 2024). An event of one entity is then decided by comparing
  its own uniform with its probability, so two arms differ on an entity only where the
  probability itself differs. Draws of a sequential Generator would instead shift with
  every earlier draw of a size that depends on the arm's state.

The keyed draw is a counter-based hash: the splitmix64 output function (Steele, Lea &
Flood 2014; the generator behind Java's SplittableRandom and the seeding of xoshiro)
applied to ``key * gamma + base(seed, stream, week, slot)``, vectorised in numpy over
uint64 keys. Consecutive keys under one base are exactly a splitmix64 sequence, which
passes BigCrush. numpy's own counter-based bit generator (Philox) holds one key and
counter per Generator object, so it cannot give one number per entity key vectorised; a
few 10^4 keys a week hash in well under a millisecond here.

Aggregate counts (how many gifts, how many foundings) are drawn by inverting the count's
distribution function at a keyed uniform (``poisson``, ``binomial``): the count never
shifts later draws, and a higher rate gives at least as many events in the same week.

Replicate seeds are derived from the scenario seed and the replicate number, so replicate
i of any arm, on any machine and executor, uses the same seed, and a run can be repeated
from the seed recorded with it alone.
"""

from __future__ import annotations

import zlib
from typing import Protocol

import numpy as np
from scipy import special, stats

from simgov.kernels import keyed_uniform, select_array, select_scalar
from simgov.kernels.draws import combine_rows

_REPLICATE_KEY = zlib.crc32(b"replicate")
_MASK = (1 << 64) - 1
#: splitmix64's increment (2^64 / golden ratio) and output multipliers.
_GAMMA = 0x9E3779B97F4A7C15
_M1, _M2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
_U30, _U27, _U31, _U11 = (np.uint64(b) for b in (30, 27, 31, 11))
_UM1, _UM2, _UGAMMA = np.uint64(_M1), np.uint64(_M2), np.uint64(_GAMMA)
#: The week of a timeless draw: a property of the entity drawn once for the whole run.
TIMELESS = -(1 << 40)
#: Up to this many keys are hashed in Python ints (the same numbers, faster for a few).
_FEW = 8
#: Counts with a mean up to this are inverted by summing their terms; larger ones by scipy.
_SMALL_MEAN = 30.0


def _key(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def replicate_seed(scenario_seed: int, replicate: int) -> int:
    """The seed of replicate ``replicate`` (0-based) of a scenario with ``scenario_seed``."""
    ss = np.random.SeedSequence(scenario_seed, spawn_key=(_REPLICATE_KEY, replicate))
    return int(ss.generate_state(1, np.uint64)[0] >> np.uint64(1))  # 63 bits: fits int64 columns


def _mix_int(z: int) -> int:
    """splitmix64's output function on one Python int (mod 2^64)."""
    z &= _MASK
    z = ((z ^ (z >> 30)) * _M1) & _MASK
    z = ((z ^ (z >> 27)) * _M2) & _MASK
    return z ^ (z >> 31)


def _mix(z: np.ndarray) -> np.ndarray:
    """splitmix64's output function, elementwise on uint64 (wrapping arithmetic, in place;
    on arrays of at least one dimension, where numpy does not warn of the wrap-around)."""
    z ^= z >> _U30
    z *= _UM1
    z ^= z >> _U27
    z *= _UM2
    z ^= z >> _U31
    return z


def _as_u64(keys) -> np.ndarray:
    """Integer keys (any int dtype; negative ones wrap) as a fresh uint64 array of at least
    one dimension."""
    a = np.atleast_1d(keys)
    kind = a.dtype.kind
    if kind == "i":
        return a.astype(np.int64).view(np.uint64)  # astype copies
    if kind in "ub":
        return a.astype(np.uint64)
    raise TypeError(f"entity keys must be integers, not {a.dtype}")


def _u64_view(keys) -> np.ndarray:
    """Integer keys as uint64 of at least one dimension, without a copy where they are int64
    or uint64 already (for a kernel that only reads them); else as :func:`_as_u64`."""
    a = np.atleast_1d(keys)
    if a.dtype == np.int64 or a.dtype == np.uint64:
        return a.view(np.uint64)
    return _as_u64(a)


def combine(*parts) -> np.ndarray:
    """One uint64 key from several integer key parts (arrays broadcast): e.g. an
    organisation's key and a member's resident number, for a draw of that membership.
    The parts are stacked and mixed in one pass (simgov.kernels), equal to :func:`_combine_numpy`."""
    arrays = [p if isinstance(p, np.ndarray) else np.asarray(p) for p in parts]
    if any(a.ndim > 1 for a in arrays) or any(a.dtype.kind not in "iub" for a in arrays):
        return _combine_numpy(*parts)
    n = next((a.size for a in arrays if a.size != 1), 1)  # a 1-D part's length (or 1: all of size 1)
    stacked = np.empty((len(arrays), n), np.uint64)
    for row, a in zip(stacked, arrays, strict=True):
        if a.size != n and a.size != 1:
            raise ValueError(f"key parts of sizes {[x.size for x in arrays]} do not broadcast")
        # An unsafe cast into uint64 wraps negative keys as _as_u64's view does.
        row[:] = a.astype(np.uint64) if a.ndim == 0 else a
    out = combine_rows(stacked)
    return out if any(a.ndim == 1 for a in arrays) else out.reshape(())


def _combine_numpy(*parts) -> np.ndarray:
    """The reference of :func:`combine`."""
    out = np.zeros(1, np.uint64)
    for part in parts:
        out = _mix((out + _UGAMMA) ^ _as_u64(part))
    return out.reshape(np.broadcast_shapes(*(np.shape(p) for p in parts)))


class Clock(Protocol):
    week: int


class KeyedStream:
    """Keyed draws of one stream: each a pure function of (seed, stream, week, key, slot).

    ``keys`` are integer entity keys (an array, or one int for a scalar result); ``slot``
    names the event (``"leave"``, ``"renewal"``), so that two events of one entity in one
    week draw independent numbers. The week is read from ``clock.week`` at each draw (the
    model passes its state, whose week it advances, warm-up weeks included).

    Writing a draw: key it by the entity the event happens to, never by a row number or a
    position that depends on history, and name the event::

        quits = rng.happens(volunteers, p_quit, "quit")                    # residents by number
        stay = rng.uniform(combine(org_keys[owner], members), "leave") >= p  # a membership
        order = rng.shuffled(households, "visit_order")                   # a random order
        leader = rng.sample(candidates, 1, "leader", weights=w)           # a weighted choice
        n = rng.poisson(rate, "foundings")                                # an aggregate count
    """

    def __init__(self, seed: int, name: str, clock: Clock):
        self.seed, self.name, self.clock = int(seed), name, clock
        self._stream = _mix_int(_mix_int(self.seed) ^ _key(name))
        self._slots: dict[str, int] = {}
        self._bases: dict[int, dict[str, int]] = {}  # week -> slot -> base, for the current weeks
        self._weeks: dict[int, int] = {}  # week -> the stream's mix of it (each slot's base mixes in its own key)

    @property
    def week(self) -> int:
        return int(self.clock.week)

    def _bits(self, keys, slot: str, timeless: bool) -> np.ndarray:
        base = self._base(slot, timeless)
        z = _as_u64(keys)
        if z.size <= _FEW:  # a few keys: Python ints beat numpy's per-call overhead
            return np.array([_mix_int(int(k) * _GAMMA + base) for k in z.tolist()], np.uint64)
        z *= _UGAMMA
        z += np.uint64(base)
        return _mix(z)

    @staticmethod
    def _shape(keys, out: np.ndarray):
        return out if np.ndim(keys) else out[0].item()

    def _base(self, slot: str, timeless: bool) -> int:
        week = TIMELESS if timeless else self.clock.week
        bases = self._bases.get(week)
        if bases is None:  # a new week: its slots' bases are computed afresh (kept for a few weeks)
            if len(self._bases) > 4:
                self._bases.clear()
                self._weeks.clear()
            bases = self._bases[week] = {}
            self._weeks[week] = _mix_int(self._stream ^ (int(week) & _MASK))
        b = bases.get(slot)
        if b is None:
            s = self._slots.get(slot)
            if s is None:
                s = self._slots[slot] = _key(slot)
            b = bases[slot] = _mix_int(self._weeks[week] ^ s)
        return b

    def base(self, slot: str, *, timeless: bool = False) -> int:
        """The uint64 base of ``slot``'s draws this week (or of its timeless ones), for a fused
        kernel (simgov.kernels) that hashes keys in its own loop: key ``k`` draws
        ``kernels.draws.unit(k, base)``, the same number as :meth:`uniform`."""
        return self._base(slot, timeless)

    def _uniform(self, keys, slot: str, timeless: bool = False) -> np.ndarray:
        # One fused pass (simgov.kernels), equal to the numpy path below, for any number of keys:
        # about 2.3 us a call, where the Python-int path took 4-8 us for one to eight keys.
        return keyed_uniform(_u64_view(keys), np.uint64(self._base(slot, timeless)))

    def _uniform_numpy(self, keys, slot: str, timeless: bool = False) -> np.ndarray:
        """The reference: ``_bits`` in numpy, the top 53 bits scaled to [0, 1)."""
        return (self._bits(keys, slot, timeless) >> _U11) * (1.0 / (1 << 53))

    def uniform(self, keys, slot: str, *, timeless: bool = False):
        """Uniform floats in [0, 1), one per key; ``timeless``: the same in every week."""
        return self._shape(keys, self._uniform(keys, slot, timeless))

    def normal(self, keys, slot: str, *, timeless: bool = False):
        """Standard normal draws, one per key (the inverse normal CDF of a keyed uniform)."""
        u = ((self._bits(keys, slot, timeless) >> _U11) + 0.5) * (1.0 / (1 << 53))  # in (0, 1)
        return self._shape(keys, special.ndtri(u))

    def happens(self, items, p, slot: str, keys=None) -> np.ndarray:
        """The ``items`` (an array) whose event of probability ``p`` (a number or one per item)
        happens; each item draws with its own key (``keys``, default the items themselves)."""
        items = np.asarray(items)
        return items[self.uniform(items if keys is None else keys, slot) < p]

    def select(self, mask: np.ndarray, p, slot: str) -> np.ndarray:
        """The positions (residents by number) in the boolean ``mask`` whose event of
        probability ``p`` (a number, or one per position: an array as long as ``mask``)
        happens, each keyed by its position: ``happens(flatnonzero(mask), p[mask], slot)``
        in one fused pass (simgov.kernels), which draws only for the positions in ``mask``."""
        mask = np.ascontiguousarray(mask, dtype=np.bool_)
        base = np.uint64(self.base(slot))
        if np.ndim(p) == 0:
            return select_scalar(mask, float(p), base)
        return select_array(mask, np.ascontiguousarray(p, dtype=np.float64), base)

    def _select_numpy(self, mask: np.ndarray, p, slot: str) -> np.ndarray:
        """The reference of :meth:`select`."""
        idx = np.flatnonzero(mask)
        return self.happens(idx, p if np.ndim(p) == 0 else np.asarray(p)[idx], slot)

    def integers(self, keys, low: int, high, slot: str):
        """Integers in [low, high) (``high`` a number or one per key), one per key."""
        return self._shape(keys, low + (self._uniform(keys, slot) * (np.asarray(high) - low)).astype(np.int64))

    def order(self, keys, slot: str) -> np.ndarray:
        """Positions of ``keys`` in a random order (a permutation, as argsort gives)."""
        return np.argsort(self.uniform(np.asarray(keys), slot), kind="stable")

    def shuffled(self, items, slot: str, keys=None) -> np.ndarray:
        """``items`` in a random order: each keeps its place relative to the others whatever
        other items are present (ordered by the uniform of its key, default itself)."""
        items = np.asarray(items)
        return items[self.order(items if keys is None else keys, slot)]

    def sample(self, items, k: int, slot: str, weights=None, keys=None) -> np.ndarray:
        """``k`` of ``items`` without replacement, with probability proportional to
        ``weights`` (uniform if None): the ``k`` smallest ``-log(1 - u) / w`` (Efraimidis &
        Spirakis 2006), so whether an item is chosen depends on its own draw and the others'
        weights, not on their order. Each item draws with its key (``keys``, default itself)."""
        items = np.asarray(items)
        u = np.asarray(self.uniform(items if keys is None else keys, slot))
        score = u if weights is None else -np.log1p(-u) / np.asarray(weights, np.float64)
        return items[np.argsort(score, kind="stable")[:max(int(k), 0)]]

    def poisson(self, mean: float, slot: str, key: int = 0) -> int:
        """A Poisson count with ``mean``: its distribution function inverted at a keyed
        uniform, so a larger mean gives at least as many events in the same week."""
        if mean <= 0:
            return 0
        u = self.uniform(key, slot)
        if mean > _SMALL_MEAN:
            return max(0, int(stats.poisson.ppf(u, mean)))
        k, pmf = 0, np.exp(-mean)  # small means (the usual case): sum the terms, ~100x faster than ppf
        cdf = pmf
        while u >= cdf and pmf > 0:
            k += 1
            pmf *= mean / k
            cdf += pmf
        return k

    def binomial(self, n: int, p: float, slot: str, key: int = 0) -> int:
        """A binomial count of ``n`` trials with ``p``, by inversion like :meth:`poisson`."""
        if n <= 0 or p <= 0:
            return 0
        u, p = self.uniform(key, slot), min(p, 1.0)
        if n * p > _SMALL_MEAN or p == 1.0:
            return max(0, int(stats.binom.ppf(u, n, p)))
        k, pmf = 0, (1.0 - p) ** n
        cdf = pmf
        while u >= cdf and k < n:
            pmf *= (n - k) / (k + 1) * p / (1.0 - p)
            k += 1
            cdf += pmf
        return k


class Streams:
    """The random streams of one run: Generators for the synthesis, keyed streams for the rest."""

    def __init__(self, seed: int):
        self.seed = seed
        self._streams: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        gen = self._streams.get(name)
        if gen is None:
            gen = np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(_key(name),)))
            self._streams[name] = gen
        return gen

    def keyed(self, name: str, clock: Clock) -> KeyedStream:
        """The keyed stream ``name``, reading its week from ``clock``."""
        return KeyedStream(self.seed, name, clock)
