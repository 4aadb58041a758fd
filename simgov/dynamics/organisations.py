"""Organisations: residents' self-organisations form, recruit, cost money and fold;
professional organisations fill the government's contract places; volunteer teams hold the
volunteers of the day.

Rule (organisations meet monthly: every ``EVERY`` weeks, with probabilities for that span):

1. Founding. New self-organisations form at ``founding_per_1000`` a year per 1,000
   participants, each around a leader:
   a participant with belonging above 0.6 who leads nothing yet, Party members and
   volunteers first; the leader's participating friends are the founding members.
2. Recruitment. Each participating friend of a member joins with probability ``recruit``,
   raised by social workers' support (``social_worker_boost`` when every organisation has
   a social worker). Membership competes for a resident's time: the chance falls linearly
   with the memberships the resident already holds (in any active organisation), to zero
   at ``max_memberships`` (McPherson 1983: associations compete for members' limited
   time). Members leave at ``member_leave`` a week, and at five times that once they no
   longer take part.
3. Money. A new self-organisation starts with ``start_funds_yuan``, a start-up grant paid
   as the committee's grants are (simgov.dynamics.resources, rule 2: the committee if it
   has the sum, else the community fund, else nothing and the group starts with none). A
   self-organisation spends ``cost_per_member_yuan`` a year per member from its funds and
   receives the committee's grants (resources phase). It folds when it has fewer
   than ``min_members`` members, or when its funds stay below zero for ``fold_weeks``,
   unless social workers are still incubating it (the ``org_incubation`` policy). Besides,
   a self-organisation folds at a weekly hazard that falls with its age a (weeks since
   founding): ``fold_hazard + newness_hazard * exp(-a / newness_weeks)``, the liability
   of newness (Stinchcombe 1965; Freeman, Carroll & Hannan 1983: death rates of young
   organisations are higher and fall with age; Hannan & Freeman 1989). Incubation
   shields it from this hazard too. The self-organisations a scenario starts with are
   taken as established (``ESTABLISHED_WEEKS`` old at the start of the warm-up).
4. Professional organisations bought in (购买服务) serve ``professional_hours`` a week
   until their contract ends; the government renews a contract with ``renewal``. Their
   cost, ``contract_yuan_per_year``, is paid by the government. The scenario's
   ``professional_organisations`` are the contract places the government funds: a place
   whose contract ends unrenewed is tendered again and a new organisation (a new entity,
   with its own contract and draws) starts ``tender_weeks`` later, so the service has a
   gap but the places last (purchase of services is a standing budget line, re-procured
   when a provider is dropped: 002, 003; the Ministry of Finance's 2020 measures on
   government purchase of services, 政府购买服务管理办法, make it a yearly budgeted
   procurement).
5. Volunteer teams (志愿服务队) are the committee's rosters of its steady volunteers. Each
   month a member who no longer volunteers leaves the team, and a steady volunteer in no
   team joins the team where most of their friends are (on a tie the smaller team, then
   the first), so the teams hold the current volunteers, not those of the start (000: 11
   volunteer teams; 001: Qingshan's 5). The rule draws nothing.

Random draws are keyed (simgov.streams) by organisation (its kind, founding week and
leader) and by (organisation, resident) for leaving and joining, so an organisation's
renewal, members and folding do not depend on what other organisations drew before it.

Sources: Lomi & Larsen (1996) and Hannan & Freeman (1989) on founding and failure of
organisations; Stinchcombe (1965) and Freeman, Carroll & Hannan (1983, ASR 48:692-710) on
the liability of newness; McPherson (1983, ASR 48:519-532) on competition for members; 003
and 004 on incubation by social workers and the organisations that resulted (10
self-organisations incubated in Longnan, 004); 002, 003 on purchased services. Rates are
assumptions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simgov.agents import keep_members_of
from simgov.arrays import isin_sorted, unique
from simgov.dynamics.resources import grant
from simgov.dynamics.services import PROFESSIONAL_SERVICES, SELF_ORG_SERVICES
from simgov.params import NonNegFloat, Share, Spec, field
from simgov.streams import KeyedStream, combine

if TYPE_CHECKING:
    from simgov.community.state import CommunityState

NAME = "organisations"
#: Belonging above which a participant may lead (found an organisation, propose a project).
LEADER_BELONGING = 0.6
#: Organisations act every this many weeks (they meet monthly); weekly rates are converted.
EVERY = 4
#: Age (weeks) the self-organisations a scenario starts with are given: established groups.
ESTABLISHED_WEEKS = 260


def per_span(weekly: float) -> float:
    """The chance over ``EVERY`` weeks of an event with weekly chance ``weekly``."""
    return 1.0 - (1.0 - weekly) ** EVERY


class Params(Spec):
    """Parameters of the organisations mechanism."""

    founding_per_1000: NonNegFloat = field(1.0, "self-organisations founded a year per 1,000 participants",
                                           "assumption; 004: 10 incubated")
    founding_size: int = field(6, "founding members including the leader (at most)", ge=2, le=100)
    recruit: Share = field(0.01, "weekly chance a participating friend of a member joins", "assumption")
    social_worker_boost: NonNegFloat = field(0.5, "relative rise in recruitment with full social-worker "
                                             "support", "assumption; 003")
    member_leave: Share = field(0.01, "weekly chance a member leaves", "assumption")
    max_memberships: int = field(3, "memberships at which a resident joins no further organisation (the "
                                 "join chance falls linearly to zero there)",
                                 "assumption; McPherson 1983 (competition for members' time)", ge=1, le=100)
    fold_hazard: Share = field(0.001, "weekly chance an established self-organisation folds (its leader "
                               "moves, interest fades)", "assumption, tuned for a steady baseline")
    newness_hazard: Share = field(0.01, "extra weekly chance of folding for a newly founded self-organisation, "
                                  "falling with age", "Freeman, Carroll & Hannan 1983 (liability of newness); "
                                  "size assumed, tuned for a steady baseline")
    newness_weeks: NonNegFloat = field(52.0, "age (weeks) over which the liability of newness falls by a "
                                       "factor e", "assumption; Hannan & Freeman 1989")
    min_members: int = field(4, "members below which an organisation folds", ge=1, le=100)
    max_members: int = field(40, "members above which a self-organisation takes no one", "assumption",
                             ge=1, le=10_000)
    cost_per_member_yuan: NonNegFloat = field(60.0, "yearly running cost per member, in yuan", "assumption")
    start_funds_yuan: NonNegFloat = field(500.0, "funds a new self-organisation starts with", "assumption")
    fold_weeks: int = field(13, "weeks in debt after which an organisation folds", ge=1, le=520)
    professional_hours: NonNegFloat = field(30.0, "weekly service hours of a professional organisation",
                                            "assumption; 002, 003")
    tender_weeks: int = field(13, "weeks before a contract place that ended unrenewed is served again by a "
                              "newly bought organisation (the procurement's gap)",
                              "assumption: a quarter for a new tender; 002, 003 (purchased services)", ge=0, le=520)
    contract_weeks: int = field(52, "length of a professional organisation's contract", ge=1, le=520)
    renewal: Share = field(0.6, "chance the government renews a contract that ends", "assumption")
    contract_yuan_per_year: NonNegFloat = field(
        80_000.0, "yearly cost of one professional organisation's contract",
        "assumption: about one social-work post for the contract's 30 hours a week; when Shenzhen began "
        "buying social-work posts at scale (329 posts from 9 agencies), buyers paid 60,000 yuan per social "
        "worker a year (press report), and pay has risen since. The seeds give no contract figure: 000's "
        "150,000+ yuan (先后投入15余万元) was a capital investment, with no period, in a police room, legal-aid "
        "rooms and a special-population office")


def _support(state: CommunityState) -> float:
    active = state.active_organisations()
    return min(1.0, state.capacity.social_workers / max(len(active), 1))


def leader_candidates(state: CommunityState) -> np.ndarray:
    """Participants with belonging above ``LEADER_BELONGING`` who lead no active organisation."""
    r = state.residents
    candidates = np.flatnonzero(r.active & (r.belonging > LEADER_BELONGING))
    leaders = [o.leader for o in state.organisations if o.active]
    return candidates[~np.isin(candidates, leaders)]


def found(state: CommunityState, leader: int, size: int, funds: float, rng: KeyedStream,
          beyond_participants: bool = False):
    """A new self-organisation around ``leader`` with up to ``size - 1`` of their friends:
    participating friends only, or with ``beyond_participants`` participating friends first,
    then others (a funded project draws in friends who took no part before)."""
    r = state.residents
    friends = state.network.friends(leader)
    active = friends[r.active[friends]]
    take = min(active.size, size - 1)
    # Each friend's draw is keyed by the (leader, friend) pair: the same friends are asked first in every arm.
    chosen = rng.sample(active, take, "members", keys=combine(leader, active))
    if beyond_participants and take < size - 1:
        others = friends[~r.active[friends]]
        chosen = np.r_[chosen, rng.sample(others, min(others.size, size - 1 - take), "others",
                                          keys=combine(leader, others))]
    members = np.sort(np.r_[leader, chosen]).astype(np.int64)
    org = state.new_organisation("self", SELF_ORG_SERVICES, members, leader=leader)
    org.funds = funds
    return org


def _found(state: CommunityState, p: Params, rng: KeyedStream) -> None:
    r = state.residents
    participants = np.count_nonzero(r.active)
    rate = p.founding_per_1000 * participants / 1000.0 / 52.0 * EVERY
    for _ in range(rng.poisson(rate, "foundings")):
        candidates = leader_candidates(state)
        if not candidates.size:
            return
        weight = np.where(r.party_member[candidates] | r.volunteer[candidates], 3.0, 1.0)
        # Weighted by keyed draws: the week's k-th founder is the k-th of the same race in every arm.
        leader = int(rng.sample(candidates, 1, "leader", weights=weight)[0])
        found(state, leader, p.founding_size, grant(state.ledger, p.start_funds_yuan, "start_funds"), rng)


def memberships(state: CommunityState) -> np.ndarray:
    """Per resident, the active organisations they are a member of."""
    orgs = state.active_organisations()
    if not orgs:
        return np.zeros(state.residents.n, np.int64)
    # One count over every membership (a loop of np.add.at per organisation grew with the community).
    held = np.bincount(np.concatenate([o.members for o in orgs]), minlength=state.residents.n)
    return held.astype(np.int64, copy=False)


def fold_chance(age_weeks, p: Params):
    """Chance over ``EVERY`` weeks that a self-organisation of this age folds of itself."""
    scale = max(p.newness_weeks, 1e-9)
    return per_span(np.minimum(1.0, p.fold_hazard + p.newness_hazard * np.exp(-np.asarray(age_weeks) / scale)))


def _recruit_and_leave(state: CommunityState, orgs: list, p: Params, rng: KeyedStream,
                       support: float) -> None:
    """Members leave and participating friends of members join, for all ``orgs`` at once."""
    if not orgs:
        return
    r, n = state.residents, state.residents.n
    sizes = np.array([o.members.size for o in orgs])
    owner = np.repeat(np.arange(len(orgs)), sizes)
    members = np.concatenate([o.members for o in orgs]).astype(np.int64)
    leaders = np.repeat([o.leader for o in orgs], sizes)
    org_keys = np.array([o.key for o in orgs], np.uint64)  # draws are keyed by (organisation, resident)
    leave_p = per_span(np.where(r.active[members], p.member_leave, min(1.0, 5 * p.member_leave)))
    stay = (rng.uniform(combine(org_keys[owner], members), "leave") >= leave_p) | (members == leaders)
    owner, members = owner[stay], members[stay]

    # Friends of members: the friendly ties' CSR rows of all members, gathered in one go.
    counts, friend = state.network.friend_rows(members)
    friend_owner = np.repeat(owner, counts)
    keys = unique(friend_owner * n + friend)
    keys = keys[r.active[keys % n] & ~isin_sorted(keys, np.sort(owner * n + members))]
    free = np.maximum(0.0, 1.0 - memberships(state)[keys % n] / p.max_memberships)
    chance = per_span(min(1.0, p.recruit * (1.0 + p.social_worker_boost * support)))
    joining = rng.happens(keys, chance * free, "join", keys=combine(org_keys[keys // n], keys % n))
    # Organisations that are full take no one (a group is tens of people, not hundreds).
    room = np.maximum(p.max_members - np.bincount(owner, minlength=len(orgs)), 0)
    org_of = joining // n  # sorted, so each organisation's recruits are consecutive
    rank = np.arange(joining.size) - np.searchsorted(org_of, org_of)
    joining = joining[rank < room[org_of]]
    all_keys = np.sort(np.concatenate([owner * n + members, joining]))
    split = np.searchsorted(all_keys // n, np.arange(len(orgs) + 1))
    for k, org in enumerate(orgs):
        org.members = all_keys[split[k]:split[k + 1]] % n


def step(state: CommunityState, params: Params, rng: KeyedStream) -> None:
    week = state.week
    if week % EVERY:
        return
    support = _support(state)
    self_orgs = [o for o in state.active_organisations() if o.kind == "self"]
    _recruit_and_leave(state, self_orgs, params, rng, support)
    # Each organisation's own keyed draw: whether it folds of itself this month.
    hazard = rng.uniform(np.array([o.key for o in self_orgs], np.uint64), "fold") < \
        fold_chance([week - o.founded for o in self_orgs], params)
    for org, ended in zip(self_orgs, hazard, strict=True):
        incubating = org.incubated_until is not None and week <= org.incubated_until
        if ended and not incubating:
            org.active = False
            state.organisation_log.append((week, org.key, "folded"))
    _tender(state, params)
    for org in state.active_organisations():
        if org.kind == "professional":
            if org.contract_end is not None and week > org.contract_end:
                if rng.uniform(org.key, "renewal") < params.renewal:
                    org.contract_end = week + params.contract_weeks - 1
                    state.organisation_log.append((week, org.key, "renewed"))
                else:
                    org.active = False
                    state.organisation_log.append((week, org.key, "ended"))
                    state.tenders.append(week + params.tender_weeks)
                    continue
            org.hours_per_week = params.professional_hours
            state.ledger.spend("contracts", params.contract_yuan_per_year / 52.0 * EVERY, payer="government")
        elif org.kind == "self":
            org.funds -= org.members.size * params.cost_per_member_yuan / 52.0 * EVERY
            org.weeks_in_debt = org.weeks_in_debt + EVERY if org.funds < 0 else 0
            incubating = org.incubated_until is not None and week <= org.incubated_until
            if not incubating and (org.members.size < params.min_members or org.weeks_in_debt >= params.fold_weeks):
                org.active = False
                state.organisation_log.append((week, org.key, "folded"))
        # volunteer teams neither recruit nor fold: their rosters follow who volunteers (rule 5)
    renew_teams(state)
    _found(state, params, rng)


def _tender(state: CommunityState, p: Params) -> None:
    """Contract places whose tender is due get a newly bought professional organisation."""
    due = [w for w in state.tenders if w <= state.week]
    if not due:
        return
    state.tenders[:] = [w for w in state.tenders if w > state.week]
    for _ in due:
        buy_contract(state, p, state.week + p.contract_weeks - 1)


def buy_contract(state: CommunityState, p: Params, contract_end: int):
    """A professional organisation bought in, serving until ``contract_end``."""
    return state.new_organisation("professional", PROFESSIONAL_SERVICES, np.empty(0, np.int64),
                                  hours_per_week=p.professional_hours, contract_end=contract_end)


def renew_teams(state: CommunityState) -> None:
    """Rule 5: members who no longer volunteer leave their team; volunteers in no team join
    the team where most of their friends are (on a tie the smaller team, then the first)."""
    teams = [o for o in state.active_organisations() if o.kind == "volunteer_team"]
    if not teams:
        return
    r = state.residents
    keep_members_of(teams, r.volunteer)
    sizes = np.array([team.members.size for team in teams])
    team_of = np.full(r.n, -1, np.int64)
    team_of[np.concatenate([team.members for team in teams])] = np.repeat(np.arange(len(teams)), sizes)
    joining = np.flatnonzero(r.volunteer & (team_of < 0))
    if not joining.size:
        return
    counts, friend = state.network.friend_rows(joining)
    owner = np.repeat(np.arange(joining.size), counts)
    known = team_of[friend] >= 0
    friends_in = np.bincount(owner[known] * len(teams) + team_of[friend][known],
                             minlength=joining.size * len(teams)).reshape(joining.size, len(teams))
    # Most friends first, then the smaller team; argmax takes the first of equals.
    choice = np.argmax(friends_in * (r.n + 1) - sizes, axis=1)
    for k in np.unique(choice):  # only the teams someone joins
        teams[k].members = np.union1d(teams[k].members, joining[choice == k])
