"""Who is in the volunteer teams over time: a check of the teams' rosters.

    python experiments/volunteer_teams.py longnan-courtyards --weeks 1040
    python experiments/volunteer_teams.py b-community --weeks 520 --seed 2

A scenario's volunteer teams are made at the set-up from its first volunteers
(``CommunityModel._create_actors``); each month a member who no longer volunteers leaves and a
new volunteer joins (simgov.dynamics.organisations, rule 5), and members of an active
organisation take part (simgov.dynamics.participation). This prints, every two years of a run
with no warm-up, the steady volunteers, those of them in a team, the team members, and the team
members who no longer volunteer: after a month's meeting the last is 0 and the second equals the
first, up to the volunteers recruited since the last meeting. (Before rule 5, the rosters were
frozen: in Longnan 26 of 28 members no longer volunteered by week 416, yet took part.)
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from simgov.model import CommunityModel
from simgov.scenario import load_scenario


def roster(model: CommunityModel) -> dict[str, int]:
    r = model.state.residents
    in_team = np.zeros(r.n, bool)
    for org in model.state.organisations:
        if org.kind == "volunteer_team" and org.active:
            in_team[org.members] = True
    return {"volunteers": int(r.volunteer.sum()), "volunteers_in_teams": int((r.volunteer & in_team).sum()),
            "team_members": int(in_team.sum()), "team_members_not_volunteering": int((in_team & ~r.volunteer).sum())}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("scenario")
    p.add_argument("--weeks", type=int, default=1040)
    p.add_argument("--seed", type=int, default=None)
    args = p.parse_args(argv)
    scenario = load_scenario(args.scenario).model_copy(update={"warmup_weeks": 0})
    model = CommunityModel(scenario, rng=args.seed, weeks=args.weeks)
    print("week", *roster(model), sep="\t")
    print(0, *roster(model).values(), sep="\t")
    for week in range(1, args.weeks + 1):
        model.step()
        if week % 104 == 0:
            print(week, *roster(model).values(), sep="\t", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
