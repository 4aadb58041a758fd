"""Services: known needs are met within the weekly capacity of those who serve.

Rule (each week):

1. Candidates are the needs the committee or a service knows of. Priority is severity,
   doubled for vulnerable residents (empty-nest, disabled, low-income, special groups).
2. Providers take candidates in priority order, each only of the need types it serves,
   each case taking ``hours_per_case`` hours: professional organisations (their contracted
   hours, from the ``organisation`` pool), hours policies brought in (lever ``bought``:
   purchased services, a social enterprise, volunteers' pairing, a mutual-aid day; already
   drawn from their pools by the policy), steady volunteers and volunteer teams (light care:
   elderly, disability, child care, health; up to ``volunteer_hours`` each, from the
   ``volunteer`` pool), self-organisations (mutual aid, in members' own time), social
   workers (any need; up to ``social_worker_hours`` each, from the ``social_worker`` pool),
   and last the committee's cadres (any need; up to ``cadre_hours`` each, from the
   ``staff`` pool). Pools are shared with policies, which draw first
   (simgov.community.ledger), so a provider serves no more than its pool has left; hours
   a provider could have used on waiting cases are recorded as that pool's shortfall.
3. Each case the community's own people serve (volunteers, self-organisations, social
   workers, cadres) costs ``cost_per_case_yuan`` in materials from the committee's budget:
   when the budget runs out, they serve only the cases it can pay for. Professional and
   bought-in providers bring their own materials (in their contract).
4. A met need is closed; the resident's trust in the committee rises by ``trust_gain`` of
   the room left (a met need raises trust in the committee, 000 "亲情化" services).
5. Channels (simgov.dynamics.linkage): each provider belongs to one of the five forces
   (``PROVIDER_FORCES``, ``BOUGHT_FORCES``) and serves only the needs that reached its
   force: those its own force found, and those on the shared list or referred to it. When
   the committee's budget cannot pay a case's materials, the community fund (donors' money)
   pays for a share of the cases cut, equal to the week's working linkage strength (the
   platform matches donors' money to known needs).

Sources: 000 (cadres too few for the workload; volunteers' elderly and disability services;
purchased services), 002, 003 (social workers, purchased professional services). Hours
are assumptions calibrated against the patterns in docs/baseline.md.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np

from simgov.kernels.residents import first_eligible, known_needs
from simgov.params import NonNegFloat, Share, Spec, field
from simgov.streams import KeyedStream
from simgov.vocabulary import COMMITTEE, NEED_TYPES, ORGANISATIONS, PARTY, SOCIAL_WORKERS, VOLUNTEERS

if TYPE_CHECKING:
    from simgov.community.state import CommunityState

NAME = "services"

#: Need types volunteers serve: light care.
LIGHT_CARE = ("elderly_care", "disability_support", "child_care", "health")
#: Need types residents' self-organisations serve: mutual aid among neighbours.
SELF_ORG_SERVICES = ("elderly_care", "child_care")
#: Need types served by the professional organisations the government buys in (购买服务).
PROFESSIONAL_SERVICES = ("elderly_care", "disability_support", "legal")


class Params(Spec):
    """Parameters of the services mechanism."""

    hours_per_case: NonNegFloat = field(6.0, "hours of work to meet one need", "assumption")
    cadre_hours: NonNegFloat = field(
        6.0, "hours a week each cadre gives to residents' needs", "assumption; 000: cadres overloaded "
        "with administration and inspections")
    social_worker_hours: NonNegFloat = field(20.0, "hours a week each social worker gives to casework",
                                             "assumption")
    volunteer_hours: NonNegFloat = field(1.0, "hours a week each available steady volunteer serves",
                                         "assumption; 000: 125 steady volunteers")
    self_org_hours_per_member: NonNegFloat = field(0.2, "hours of mutual aid a week per self-organisation "
                                                   "member", "assumption; 003, 004")
    social_worker_boost: NonNegFloat = field(
        0.3, "rise in organisations' capacity when each has a social worker's support", "assumption; 003")
    trust_gain: Share = field(0.1, "trust in the committee gained when a need is met (share of room left)",
                              "assumption")
    cost_per_case_yuan: NonNegFloat = field(30.0, "materials per need met, in yuan", "assumption")


def org_support(state: CommunityState, params: Params) -> float:
    """Factor on organisations' capacity from social workers' support (1 = none)."""
    orgs = state.active_organisations()
    return 1.0 + params.social_worker_boost * min(1.0, state.capacity.social_workers / max(len(orgs), 1))


#: The force each provider belongs to (simgov.vocabulary.FORCES), by the provider's name
#: before any ``:``; hours brought in (``bought:<name>``) by ``BOUGHT_FORCES``.
PROVIDER_FORCES = {"org": ORGANISATIONS, "volunteers": VOLUNTEERS, "self_organisations": ORGANISATIONS,
                   "social_workers": SOCIAL_WORKERS, "committee": COMMITTEE}
#: The force of hours brought in, by the name they are brought in under; hours of a name not
#: listed come from an outside provider and count as a social organisation's.
BOUGHT_FORCES = {"purchased_services": ORGANISATIONS, "social_enterprise": ORGANISATIONS,
                 "volunteer_pairing": VOLUNTEERS, "mutual_aid_day": VOLUNTEERS, "party_members_sunk": PARTY}


def provider_force(name: str) -> int:
    """The force (index into FORCES) of a provider named as ``_providers`` names it."""
    head, _, rest = name.partition(":")
    if head == "bought":
        return BOUGHT_FORCES.get(rest, ORGANISATIONS)
    return PROVIDER_FORCES[head]


#: A provider: (name, need types served or None for all, hours it offers, the pool it draws
#: from or None if its hours are already drawn or its own, whether the committee pays materials).
Provider = tuple[str, tuple | None, float, str | None, bool]


def _providers(state: CommunityState, params: Params, volunteers: int) -> list[Provider]:
    """The week's providers in the order they serve."""
    cap = state.capacity
    orgs = state.active_organisations()
    support = org_support(state, params)
    out: list[Provider] = []
    for o in orgs:
        if o.kind == "professional":
            out.append((f"org:{o.unique_id}", o.services, o.hours_per_week * support, "organisation", False))
    for name, types, hours in state.levers.bought:
        out.append((f"bought:{name}", types, hours, None, False))
    out.append(("volunteers", LIGHT_CARE, volunteers * params.volunteer_hours * state.levers.volunteer_hours_factor,
                "volunteer", True))
    members = sum(len(o.members) for o in orgs if o.kind == "self")
    out.append(("self_organisations", SELF_ORG_SERVICES, members * params.self_org_hours_per_member * support,
                None, True))
    out.append(("social_workers", None, cap.social_workers * params.social_worker_hours, "social_worker", True))
    out.append(("committee", None, cap.cadres * params.cadre_hours, "staff", True))
    return out


@functools.cache
def _serves(types: tuple | None) -> np.ndarray:
    """Per need type, whether a provider serving ``types`` (None: all) takes it."""
    serves = np.array([types is None or t in types for t in NEED_TYPES])
    serves.flags.writeable = False  # shared by every call
    return serves


#: Needs ordered up front: per case the providers can take this week (they skip needs of types
#: or channels they do not serve), and at least; more only when a provider runs through these.
PREFIX_ROOM, PREFIX_MIN = 4, 64


def _first_in_order(key: np.ndarray, k: int) -> np.ndarray:
    """The first positions of ``np.argsort(key, kind="stable")``, at least ``k`` of them: every
    key up to the k-th smallest (ties at the cut included), in stable order; the whole order when
    ``k`` reaches the size. O(n) selection and a sort of the few, where the full sort is O(n log n)."""
    if k >= key.size:
        return np.argsort(key, kind="stable")
    cut = np.partition(key, k - 1)[k - 1]
    first = np.flatnonzero(key <= cut)  # ascending, so the stable sort keeps ties in index order
    return first[np.argsort(key[first], kind="stable")]


def step(state: CommunityState, params: Params, rng: KeyedStream) -> None:
    r = state.residents
    n = r.n
    ledger = state.ledger
    state.services_this_week = 0
    flat_needs = r.needs.reshape(-1)
    cand = known_needs(r.needs, r.need_known)  # one pass (simgov.kernels.residents)
    if cand.size == 0 or params.hours_per_case <= 0:
        return
    kind, resident = np.divmod(cand, n)
    priority = flat_needs[cand] * np.where(state.vulnerable()[resident], 2.0, 1.0)
    # Highest priority first; a jitter far below any real difference orders exact ties at random.
    key = -(priority + 1e-9 * rng.uniform(cand, "tie_break"))  # keyed by need
    flat_reach = r.reach().reshape(-1)  # the forces each need has reached (simgov.dynamics.linkage)
    volunteers = np.count_nonzero(r.available_volunteers(state.week))
    hpc, cost = params.hours_per_case, params.cost_per_case_yuan
    providers = _providers(state, params, volunteers)
    # Only the first needs in priority order can be served this week: the providers' cases, with
    # room for the needs they skip; the rest is ordered only if a provider runs through them.
    wanted = sum(max(int(hours // hpc), 0) for _, _, hours, _, _ in providers)

    def in_order(order):  # the needs, their types, residents and reach, in priority order
        return cand[order], kind[order], resident[order], flat_reach[cand[order]]

    order = _first_in_order(key, PREFIX_ROOM * wanted + PREFIX_MIN)
    taken = np.zeros(order.size, bool)
    cand_o, kind_o, resident_o, reach = in_order(order)
    matched = state.linkage.working  # share of the cases the budget cannot pay that donors' money pays
    for name, types, hours, pool, materials in providers:
        cases = int(hours // hpc)
        if cases <= 0:
            continue
        # The first cases in priority order this provider may take (one pass, stopping when full).
        serves = _serves(None if types is None else tuple(types))
        bit = np.uint8(1 << provider_force(name))
        waiting = first_eligible(taken, reach, bit, serves, kind_o, cases)
        if waiting.size < cases and order.size < cand.size:  # it ran through them: order every need
            order = np.argsort(key, kind="stable")  # whose first positions are the ones ordered so far
            taken = np.concatenate([taken, np.zeros(cand.size - taken.size, bool)])
            cand_o, kind_o, resident_o, reach = in_order(order)
            waiting = first_eligible(taken, reach, bit, serves, kind_o, cases)
        category = f"services:{name.split(':')[0]}"
        hours_ask = {pool: hpc} if pool else {}
        granted = ledger.draw_units(category, waiting.size, yuan=cost if materials else 0.0, **hours_ask)
        if materials and granted < waiting.size and matched > 0 and ledger.money_left("committee") < cost:
            granted += ledger.draw_units(category, int(matched * (waiting.size - granted)), yuan=cost,
                                         payer="fund", **hours_ask)
        taken[waiting[:granted]] = True
    met = cand_o[taken]
    flat_needs[met] = 0.0
    r.forget_needs(met)
    who = resident_o[taken]  # a resident helped twice gains once: fancy-index updates do not add up
    r.trust_committee[who] += params.trust_gain * (1.0 - r.trust_committee[who])
    state.services_this_week = int(met.size)
