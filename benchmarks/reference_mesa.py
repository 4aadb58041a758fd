"""Plain-Mesa reference model for the week benchmark.

N resident agents on a Watts-Strogatz network (k = 8, p = 0.1); every step each resident,
in random order, does three simple rules: average its neighbours' trust, maybe gain a
need, rarely quarrel with a neighbour. Two idioms of Mesa 3.5:

- ``cached``: each agent holds a tuple of its neighbour agents (the fastest pure-Mesa idiom
  measured in ../shared/research/performance.md §5; the stricter reference);
- ``cell``: agents are ``FixedAgent``s on ``mesa.discrete_space.Network`` and read
  ``self.cell.neighborhood.agents`` (the idiom of Mesa's own network examples).
"""

from __future__ import annotations

import mesa
import networkx as nx
from mesa.discrete_space import FixedAgent, Network

K, P = 8, 0.1
NEED_PROB = 0.01
QUARREL_PROB = 0.001


class _Rules:
    """The three rules, given ``neighbours()``."""

    def rules(self, neighbours) -> None:
        total = 0.0
        for other in neighbours:
            total += other.trust
        self.trust = 0.9 * self.trust + 0.1 * total / len(neighbours)
        if not self.need and self.random.random() < NEED_PROB:
            self.need = True
        if self.random.random() < QUARREL_PROB:
            other = self.random.choice(neighbours)
            self.trust *= 0.9
            other.trust *= 0.9
            self.model.quarrels += 1


class CachedResident(mesa.Agent, _Rules):
    def __init__(self, model, trust: float):
        super().__init__(model)
        self.trust, self.need, self.nbrs = trust, False, ()

    def step(self):
        self.rules(self.nbrs)


class CellResident(FixedAgent, _Rules):
    def __init__(self, model, cell, trust: float):
        super().__init__(model)
        self.cell = cell
        self.trust, self.need = trust, False

    def step(self):
        self.rules(list(self.cell.neighborhood.agents))


class ReferenceModel(mesa.Model):
    def __init__(self, n: int, variant: str = "cached", rng: int = 1):
        super().__init__(rng=rng)
        self.quarrels = 0
        graph = nx.watts_strogatz_graph(n, K, P, seed=int(self.rng.integers(2**31)))
        trust = self.rng.random(n)
        if variant == "cached":
            agents = [CachedResident(self, float(t)) for t in trust]
            for i, a in enumerate(agents):
                a.nbrs = tuple(agents[j] for j in graph.adj[i])
        elif variant == "cell":
            self.grid = Network(graph, capacity=1, random=self.random, layout=None)
            for i, cell in enumerate(self.grid.all_cells):
                CellResident(self, cell, float(trust[i]))
        else:
            raise ValueError(variant)

    def step(self):
        self.agents.shuffle_do("step")
