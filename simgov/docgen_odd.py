"""The generated blocks of docs/odd.md: schedule, state variables, parameters, policies, metrics.

docs/odd.md is written by hand except for blocks between markers::

    <!-- BEGIN GENERATED: phases -->
    ...
    <!-- END GENERATED: phases -->

whose contents ``python -m simgov.docgen`` rewrites from the code (``BLOCKS``). State
variables are documented where they are declared, by the comment at the end of the line
(``trust: np.ndarray  # float64 in [0, 1]: trust in neighbours``); fixed constants of the
mechanisms by a ``#:`` comment above them. Both are read from the source here, so a state
variable or constant without its comment shows up as undocumented (the tests fail on it).
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
import sys

import numpy as np

MARKER = re.compile(r"<!-- BEGIN GENERATED: ([\w-]+) -->\n(.*?)<!-- END GENERATED: \1 -->", re.S)

# ---------------------------------------------------------------------------------------------
# State variables: names from the code, descriptions from the comments where they are declared.

_TRAILING = re.compile(r"""^\s*(?:self\.)?["']?(\w+)["']?\s*(?::|=)[^#]*#\s*(.+?)\s*$""")


def line_comments(obj) -> dict[str, str]:
    """Each name declared in ``obj``'s source (``name: type``, ``self.name = ...`` or a dict
    entry ``"name": ...``) with the comment at the end of its line."""
    out: dict[str, str] = {}
    for line in inspect.getsource(obj).splitlines():
        m = _TRAILING.match(line)
        if m and m.group(1) not in out:
            out[m.group(1)] = m.group(2)
    return out


def init_attributes(cls) -> list[str]:
    """Public attributes ``cls.__init__`` assigns (``self.name = ...``), in order."""
    names = re.findall(r"^\s*self\.([a-z]\w*)\s*(?::[^=]+)?=", inspect.getsource(cls.__init__), re.M)
    return list(dict.fromkeys(names))


def entities():
    """(entity, what it is, [(variable, description)]) for every kind of entity of the model."""
    from simgov.agents import Committee, Organisation, PartyMember
    from simgov.community.state import (
        Capacity,
        CommunityState,
        DisputeBook,
        Ledger,
        Levers,
        Residents,
        SocialNetwork,
    )

    def documented(obj, names):
        docs = line_comments(obj)
        return [(name, docs.get(name, "")) for name in names]

    def fields(cls, only=None):
        return [f.name for f in dataclasses.fields(cls)
                if not f.name.startswith("_") and (only is None or f.name in only)]

    building = ("building_size", "disorder", "building_issue_factor")
    weekly = ("week", "services_this_week", "recent_services",
              "cursors", "programmes")
    return [
        ("Resident", "a person living in the community; one entry of each array per resident "
         "(`Residents`, simgov/community/state.py)", documented(Residents, fields(Residents))),
        ("Tie", "an undirected, weighted, signed tie between two residents (`SocialNetwork`, simgov/community/ties.py)",
         documented(SocialNetwork.__init__, ["u", "v", "weight", "kind"])),
        ("Dispute", "a dispute between residents, one row of `DisputeBook`",
         [(k, d and f"{np.dtype(DisputeBook.FIELDS[k]).name}: {d}")
          for k, d in documented(DisputeBook, list(DisputeBook.FIELDS))]),
        ("Building", "a residential building (households in a row; grids are groups of buildings)",
         documented(CommunityState, fields(CommunityState, building))),
        ("Organisation", "a social organisation (Mesa agent): residents' self-organisation, volunteer team "
         "or professional organisation bought in", documented(Organisation.__init__, init_attributes(Organisation))),
        ("Committee", "the residents' committee with the community Party branch, the platform (Mesa agent)",
         documented(Committee.__init__, init_attributes(Committee))),
        ("Party member", "a Party member living in the community or sunk from a work unit (Mesa agent)",
         documented(PartyMember.__init__, init_attributes(PartyMember))),
        ("Capacity", "the people who serve residents, as counts (social workers and donors are also Mesa "
         "agents without state of their own)", documented(Capacity, fields(Capacity))),
        ("Ledger", "the community's money and work", documented(Ledger, fields(Ledger))),
        ("Community (global)", "the community as a whole, week by week (`CommunityState`)",
         documented(CommunityState, fields(CommunityState, weekly))),
        ("Levers", "what active policies set for the mechanisms each week, reset every week",
         documented(Levers, fields(Levers))),
    ]


def entities_block() -> str:
    parts = []
    for name, what, variables in entities():
        rows = "\n".join(f"| `{v}` | {d or '**undocumented**'} |" for v, d in variables)
        parts.append(f"**{name}**: {what}.\n\n| variable | type and meaning |\n|---|---|\n{rows}\n")
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Fixed constants: module-level names in capitals, documented by ``#:`` comments above them.

#: Names in capitals that are not model constants.
NOT_CONSTANTS = {"NAME", "MECHANISMS", "METRICS", "METRIC_NAMES", "UNIT_RANGES"}


def constant_modules():
    from simgov import metrics, model
    from simgov.community import population, state
    from simgov.dynamics import MECHANISMS

    return [*MECHANISMS, population, state, model, metrics]


def module_constants(module) -> list[tuple[str, object, str]]:
    """(name, value, ``#:`` comment) of each constant ``module`` assigns at its top level."""
    source = inspect.getsource(module)
    lines = source.splitlines()
    out = []
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign) else []
        for t in targets:
            if isinstance(t, ast.Name) and t.id.isupper() and t.id not in NOT_CONSTANTS:
                doc, i = [], node.lineno - 2
                while i >= 0 and lines[i].lstrip().startswith("#:"):
                    doc.insert(0, lines[i].lstrip()[2:].strip())
                    i -= 1
                out.append((t.id, getattr(module, t.id), " ".join(doc)))
    return out


def _value(v) -> str:
    if isinstance(v, float | int | np.integer | np.floating):
        return f"`{v}`"
    return f"`{v!r}`".replace("|", "\\|")


def constants_block() -> str:
    rows = ["| constant | module | value | meaning |", "|---|---|---|---|"]
    for module in constant_modules():
        for name, value, doc in module_constants(module):
            rows.append(f"| `{name}` | `{module.__name__}` | {_value(value)} | {doc or '**undocumented**'} |")
    return "\n".join(rows) + "\n"


# ---------------------------------------------------------------------------------------------
# The other blocks.

def phases_block() -> str:
    from simgov.community.state import CONSOLIDATE_EVERY
    from simgov.dynamics import MECHANISMS
    from simgov.metrics import NETWORK_MEASURE_EVERY

    steps = ["Start of the week: the week counter advances; the policy levers are reset to their "
             "defaults; the dispute book's weekly counters are reset; each building's disorder is "
             "measured (residents with an unmet need or in an open dispute, per resident), as "
             "residents perceive it for the whole week.",
             "The week's resources arrive (`resources.refill`): the committee's budget instalment (and, at "
             "the start of a budget year, unspent money lapses) and the hour pools of staff, social "
             "workers, volunteers and professional organisations (simgov/community/ledger.py).",
             "Shocks that are on this week act (simgov/shocks/: an epidemic lockdown, a building "
             "emergency), in the order listed: they set the week's levers and take the emergency "
             "response's hours before any policy (none act in the warm-up).",
             "Policies act (`act`), each active policy in the order of the scenario's list: they set the "
             "week's levers or add events (a funding round, a survey), drawing the hours and money they "
             "need from the pools first; what a pool cannot give scales the policy down and is recorded "
             "as its shortfall."]
    for m in MECHANISMS:
        title = " ".join((m.__doc__ or "").strip().split("\n\n")[0].split())
        steps.append(f"Mechanism `{m.NAME}` (simgov/dynamics/{m.NAME}.py): {title}")
    steps += ["Policies settle (`settle`): they book the costs of what was done (cases mediated, hours "
              "served) and give back reserved hours that were not used (unfilled mediation slots).",
              f"Every {CONSOLIDATE_EVERY} weeks the network consolidates, so that tie weights change once a "
              "month: activity ties decay and enmity fades (the mechanisms' `monthly` rules), the ties of "
              "residents who moved out are removed (with what they had queued), ties queued to turn hostile "
              "do so, queued renewals of activity ties take effect, and queued new ties "
              "(activity, pairing, project teams) are added.",
              f"The metrics are recorded (docs/metrics.md); the network's clustering is measured every "
              f"{NETWORK_MEASURE_EVERY} weeks and carried forward in between."]
    return "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1)) + "\n"


def synthesis_block() -> str:
    from simgov.community import network, population

    parts = []
    for title, module in (("Residents", population), ("The social network", network)):
        first, body = mechanism_doc(module)
        parts.append(f"**{title}** (`{module.__name__}`). {first}\n\n{body}\n")
    return "\n".join(parts)


def initialisation_block() -> str:
    from simgov.docgen import fields_table
    from simgov.scenario.schema import (
        Actors,
        Community,
        InitialAttitudes,
        NetworkSpec,
        ResidentMix,
        Scenario,
        TieWeights,
    )

    run = ("weeks", "warmup_weeks", "seed", "replicates")
    parts = [f"**Run settings** (section `Scenario`)\n\n"
             f"{fields_table(Scenario, skip=[k for k in Scenario.model_fields if k not in run])}\n"]
    for section, key in ((Community, "community"), (ResidentMix, "community.mix"),
                         (InitialAttitudes, "community.initial"), (Actors, "actors"),
                         (NetworkSpec, "network"), (TieWeights, "network.weights")):
        doc = (section.__doc__ or "").strip().splitlines()[0]
        parts.append(f"**`{key}`** (section `{section.__name__}`): {doc}\n\n{fields_table(section)}\n")
    return "\n".join(parts)


def submodels_block() -> str:
    from simgov.docgen import fields_table
    from simgov.dynamics import MECHANISMS

    parts = []
    for i, m in enumerate(MECHANISMS, 1):
        title, body = mechanism_doc(m)
        parts.append(f"### 7.{i} `{m.NAME}`: {title}\n\n{body}\n\nParameters (`parameters.{m.NAME}`):\n\n"
                     f"{fields_table(m.Params)}\n")
    return "\n".join(parts)


def mechanism_doc(module) -> tuple[str, str]:
    """A module docstring's title (its first paragraph, on one line) and the rest."""
    doc = (module.__doc__ or "").strip()
    title, _, body = doc.partition("\n\n")
    return " ".join(title.split()), body.strip()


def policies_block() -> str:
    from simgov.policies import POLICY_TYPES, PolicyParams

    rows = ["| type | what it is | its parameters | two at once |", "|---|---|---|---|"]
    for name, cls in POLICY_TYPES.items():
        title = mechanism_doc(sys.modules[cls.__module__])[0]
        params = ", ".join(f"`{k}`" for k in cls.model_fields if k not in PolicyParams.model_fields)
        rows.append(f"| [`{name}`](policies.md) | {title} | {params} | {'add up' if cls.ADDITIVE else 'refused'} |")
    return "\n".join(rows) + "\n"


def metrics_block() -> str:
    from simgov.metrics import METRICS

    rows = ["| metric | unit | values | better | definition |", "|---|---|---|---|---|"]
    rows += [f"| `{m.name}` | {m.unit} | {m.values} | {m.better or '-'} | {m.description} |" for m in METRICS]
    return "\n".join(rows) + "\n"


def property_side_block(level: str = "###") -> str:
    """The property side of building disputes: its rule and the actors' fields it reads."""
    from simgov.docgen import fields_table
    from simgov.dynamics import property_side
    from simgov.scenario.schema import Actors

    title, body = mechanism_doc(property_side)
    own = ("property_company", "property_cases_per_week", "property_resolution", "owners_committee",
           "owners_committee_cases_per_week", "owners_committee_resolution")
    table = fields_table(Actors, skip=[k for k in Actors.model_fields if k not in own])
    return (f"{level} The property side (`property_side`, called by `disputes`)\n\n{title}\n\n{body}\n\n"
            f"Parameters (section `actors`):\n\n{table}\n")


def shocks_block(level: str = "###") -> str:
    """Every shock type: its rule, parameters and sources; and how a shock's outcomes are measured."""
    from simgov.docgen import fields_table
    from simgov.shocks import SHOCK_TYPES, base, outcomes

    title, body = mechanism_doc(base)
    parts = [f"{title}\n\n{body}\n", f"**Outcomes** (simgov/shocks/outcomes.py). {mechanism_doc(outcomes)[0]}\n\n"
             f"{mechanism_doc(outcomes)[1]}\n"]
    for name, cls in SHOCK_TYPES.items():
        title, body = mechanism_doc(sys.modules[cls.__module__])
        parts.append(f"{level} Shock `{name}`: {title}\n\n{body}\n\nParameters (an entry of `shocks`; "
                     f"`size`: {cls.SIZE_MEANS}):\n\n{fields_table(cls)}\n")
    return "\n".join(parts)


#: Block name -> the function that writes its contents.
BLOCKS = {"phases": phases_block, "entities": entities_block, "synthesis": synthesis_block,
          "initialisation": initialisation_block,
          "constants": constants_block, "submodels": submodels_block, "policies": policies_block,
          "metrics": metrics_block, "shocks": shocks_block, "property-side": property_side_block}


def fill_blocks(text: str, blocks=None) -> str:
    """``text`` with every generated block's contents rewritten. A block name not in ``blocks``
    is an error, so that a renamed block cannot go stale unnoticed."""
    blocks = BLOCKS if blocks is None else blocks

    def replace(m):
        if m.group(1) not in blocks:
            raise KeyError(f"unknown generated block {m.group(1)!r}; known: {', '.join(blocks)}")
        return f"<!-- BEGIN GENERATED: {m.group(1)} -->\n{blocks[m.group(1)]()}<!-- END GENERATED: {m.group(1)} -->"

    return MARKER.sub(replace, text)


def block_names(text: str) -> list[str]:
    """The generated blocks in ``text``, in order."""
    return [name for name, _ in MARKER.findall(text)]
