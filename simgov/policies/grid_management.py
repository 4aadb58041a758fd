"""Grid management (网格化管理): more grid workers per grid, visiting households routinely.

In practice: The community is split into grids (网格), each with a grid chief, resident group
leaders and building leaders who visit households and report problems: 10 grids in B
community (000), 15 in Qingshan (001), 4 in Longnan (004).

Rule (each week the policy is active):

1. ``workers_per_grid`` grid workers are added to each grid (on top of the scenario's).
2. Each makes ``households_per_worker`` routine household visits a week, at random within
   the community, through the outreach mechanism's routine visits: every need of a visited
   household becomes known (routine visits neither choose the vulnerable first nor build
   trust as door-knocking does).
3. Cost: ``yuan_per_worker_year`` in wages, paid by ``payer`` (the government by default:
   grid workers are hired by the street office, not out of the committee's service budget),
   and 40 staff hours a week per worker, which the added workers bring to the ``staff`` pool
   and spend on their routine visits. A community payer that cannot pay every wage hires
   the share it can pay.

Sources: 000 (10 grids, a grid chief each; grid workers among the 1,800 visit
person-times); 001 (Qingshan's 15 grids; "grid + Party building"); 004 (4 grids with resident
and building leaders). Wages and visit rates are assumptions.
"""

from __future__ import annotations

from typing import Literal

from simgov.params import NonNegFloat, field
from simgov.policies.base import PAYERS, WORK_WEEK_HOURS, PolicyParams, register


@register
class GridManagement(PolicyParams):
    """网格化管理: added grid workers making routine visits."""

    type: Literal["grid_management"] = field("grid_management", "policy type")
    workers_per_grid: NonNegFloat = field(1.0, "grid workers added per grid", "assumption; 000: a grid chief "
                                          "per grid")
    households_per_worker: NonNegFloat = field(10.0, "routine household visits a week per added worker",
                                               "assumption")
    yuan_per_worker_year: NonNegFloat = field(48_000.0, "wage of a grid worker a year, in yuan", "assumption")
    payer: Literal[PAYERS] = field("government", "who pays the wages",
                                   "assumption: grid workers are hired by the street office (街道)")

    def act(self, state, memory, rng):
        workers = self.workers_per_grid * (state.cache("grids", lambda: int(state.residents.grid.max()) + 1))
        if workers <= 0:
            return
        # Wages first: a payer that cannot pay them all hires that share of the workers.
        hired = workers * state.ledger.draw(self.category, yuan=workers * self.yuan_per_worker_year / 52.0,
                                            payer=self.payer)
        state.levers.routine_visits += hired * self.households_per_worker
        state.ledger.add_hours("staff", hired * WORK_WEEK_HOURS)  # they bring their own hours ...
        self.work(state, hired * WORK_WEEK_HOURS)  # ... and spend them on the routine visits
