"""Reading scenario files: YAML with positions, ``extends`` chains, validation, arms.

Every problem becomes an ``InputError`` naming the file, the line and column where the
offending key was written (in whichever file of an ``extends`` chain wrote it), the field
path, and the allowed values.
"""

from __future__ import annotations

import copy
import re
import warnings
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from simgov.errors import InputError, InputWarning, Problem, allowed, did_you_mean
from simgov.params import Spec
from simgov.policies import POLICY_TYPES, PolicyParams, conflicts
from simgov.scenario import limits
from simgov.scenario.schema import Arm, Parameters, Scenario
from simgov.shocks import SHOCK_TYPES

Mark = tuple[Path, int, int]  # file, line, column (1-based)


# ----------------------------------------------------------------------------- bundled files
def bundled_dir() -> Path:
    return Path(str(resources.files("simgov") / "scenarios"))


def bundled_names() -> list[str]:
    return sorted(p.stem for p in bundled_dir().glob("*.yaml"))


def is_file(path: Path) -> bool:
    """``path.is_file()``, False for a name the system refuses (too long: Python 3.12 raises)."""
    try:
        return path.is_file()
    except OSError:
        return False


def resolve_path(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    """A bundled scenario name, or a path (relative to the extending file if given)."""
    text = str(name_or_path)
    looks_like_path = text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text
    if looks_like_path:
        path = Path(text).expanduser()
        if not path.is_absolute() and relative_to is not None:
            path = relative_to.parent / path
        if not is_file(path):
            raise InputError(Problem(f"no such scenario file: {path}"))
        return path
    path = bundled_dir() / f"{text}.yaml"
    if is_file(path):
        return path
    names = bundled_names()
    raise InputError(Problem(
        f"no bundled scenario named '{text}'{did_you_mean(text, names)}; "
        f"bundled: {allowed(names)} (or give a path to a .yaml file)"))


# ----------------------------------------------------------------------------- YAML with marks
class Loader(yaml.SafeLoader):
    """PyYAML's safe loader, reading ``1e5`` as a number (as YAML 1.2 does; YAML 1.1's float
    pattern, which PyYAML follows, demands a dot and reads it as the string '1e5')."""


Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"), list("-+0123456789"))


def read_yaml(path: Path) -> tuple[dict, dict[tuple, Mark]]:
    """The mapping in ``path`` and, for every key path in it, where that key was written."""
    limits.check_size(path)
    try:
        with open(path, "rb") as f:  # at most the limit, whatever the size says (/proc files say 0)
            raw = f.read(limits.MAX_FILE_BYTES + 1)
        if len(raw) > limits.MAX_FILE_BYTES:
            limits.check_size(path, len(raw))
        text = raw.decode("utf-8")
    except OSError as exc:
        raise InputError(Problem(f"cannot read the file: {exc.strerror}", path)) from None
    except UnicodeDecodeError:
        raise InputError(Problem("the file is not UTF-8 text", path)) from None
    limits.scan(text, path)
    try:
        loader = Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        msg = f"YAML syntax error: {exc.problem or exc.context}"
        if exc.context and exc.problem:
            msg += f" ({exc.context})"
        raise InputError(Problem(msg, path, line=mark.line + 1 if mark else None,
                                 column=mark.column + 1 if mark else None)) from None
    except yaml.YAMLError as exc:
        raise InputError(Problem(f"YAML error: {exc}", path)) from None
    if data is None:
        warnings.warn(InputWarning(f"{path}: the file is empty, so it stands for the default scenario "
                                   "(every field at its default)"), stacklevel=2)
        data = {}
    if not isinstance(data, dict):
        raise InputError(Problem("the file must be a mapping of keys to values "
                                 f"at the top level, not a {type(data).__name__}", path, line=1))
    marks: dict[tuple, Mark] = {}
    problems: list[Problem] = []
    _collect_marks(node, (), path, marks, problems)
    if problems:
        raise InputError(problems)
    return data, marks


def _collect_marks(node, prefix: tuple, path: Path, marks: dict, problems: list) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            here = prefix + (key,)
            line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if key in seen:
                problems.append(Problem(f"duplicate key '{key}' (first written at line {seen[key]})",
                                        path, _dotted(here), line, col))
            seen[key] = line
            marks[here] = (path, line, col)
            _collect_marks(value_node, here, path, marks, problems)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            here = prefix + (i,)
            marks[here] = (path, item.start_mark.line + 1, item.start_mark.column + 1)
            _collect_marks(item, here, path, marks, problems)


def _dotted(loc: tuple) -> str:
    return ".".join(str(p) for p in loc)


# ----------------------------------------------------------------------------- extends
#: Top-level keys a scenario that extends another does not inherit.
OWN_WORDS = ("title", "title_zh", "description", "description_zh")

def _merge(base: Any, over: Any) -> Any:
    """``over`` on top of ``base``, key by key for mappings; anything else is replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge(base[k], v) if k in base else copy.deepcopy(v)
        return out
    return copy.deepcopy(over)


def _load_chain(path: Path, chain: tuple[Path, ...]) -> tuple[dict, dict[tuple, Mark]]:
    path = path.resolve()
    if len(chain) >= limits.MAX_EXTENDS:
        raise InputError(Problem(f"the 'extends' chain is longer than {limits.MAX_EXTENDS} files (a limit on what "
                                 "an input may cost: simgov.scenario.limits.MAX_EXTENDS)", chain[-1], "extends"))
    if path in chain:
        cycle = " -> ".join(str(p) for p in chain + (path,))
        raise InputError(Problem(f"circular 'extends': {cycle}", chain[-1], "extends"))
    data, marks = read_yaml(path)
    parent_ref = data.get("extends")
    if parent_ref is None:
        return data, marks
    if not isinstance(parent_ref, str):
        f, line, col = marks[("extends",)]
        raise InputError(Problem("must be a bundled scenario name or a path", f, "extends", line, col))
    try:
        parent_path = resolve_path(parent_ref, relative_to=path)
    except InputError as exc:
        f, line, col = marks[("extends",)]
        raise InputError(Problem(exc.problems[0].message, f, "extends", line, col)) from None
    parent, parent_marks = _load_chain(parent_path, chain + (path,))
    merged = _merge(parent, data)
    merged["extends"] = parent_ref
    # A parent's name belongs to the parent: a child without its own takes its file name.
    if "name" not in data:
        merged["name"] = path.stem
    # So do its title and description: they describe the parent's numbers, not the child's.
    for key in OWN_WORDS:
        if key not in data:
            merged.pop(key, None)
    return merged, {**parent_marks, **marks}


# ----------------------------------------------------------------------------- validation
class Reporter:
    """Turns validation errors into ``Problem`` lines placed at the key that caused them."""

    def __init__(self, top: Path, marks: dict[tuple, Mark]):
        self.top, self.marks, self.problems = top, marks, []

    def add(self, loc: tuple, message: str) -> None:
        for cut in range(len(loc), -1, -1):  # the deepest key that was written
            if loc[:cut] in self.marks:
                f, line, col = self.marks[loc[:cut]]
                break
        else:
            f, line, col = self.top, None, None
        self.problems.append(Problem(message, f, _dotted(loc), line, col))

    def add_pydantic(self, exc: ValidationError, prefix: tuple, model: type[Spec]) -> None:
        for err in exc.errors(include_url=False):
            loc = tuple(p for p in err["loc"] if p not in ("function-after[_adds_up()]",))
            self.add(prefix + loc, _explain(err, model, loc))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)


def _explain(err: dict, model: type[Spec], loc: tuple) -> str:
    kind, value = err["type"], err.get("input")
    if kind == "extra_forbidden":
        known = _fields_at(model, loc[:-1])
        return (f"unknown key '{loc[-1]}'{did_you_mean(loc[-1], known)}; "
                f"allowed here: {allowed(known)}")
    if kind == "missing":
        return "required, but missing"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    if kind not in ("value_error", "assertion_error") and not isinstance(value, dict | list):
        msg += f" (got {value!r})"
    return msg


def _fields_at(model: type[Spec], loc: tuple) -> list[str]:
    """Field names of the block at ``loc`` inside ``model`` (empty when not a block)."""
    current: Any = model
    for part in loc:
        info = getattr(current, "model_fields", {}).get(part) if isinstance(part, str) else None
        if info is None:
            if isinstance(part, int) or current is dict:
                continue
            return []
        current = info.annotation
        if getattr(current, "__origin__", None) is dict:
            current = current.__args__[1]
        elif getattr(current, "__origin__", None) is tuple:
            current = current.__args__[0]
    return list(getattr(current, "model_fields", {}))


def parse_policies(entries: Any, prefix: tuple, rep: Reporter) -> Any:
    """Each policy entry validated against its registered type (or reported)."""
    return parse_entries(entries, prefix, rep, POLICY_TYPES, "policy")


def parse_entries(entries: Any, prefix: tuple, rep: Reporter, registry: dict, what: str) -> Any:
    """Each entry of a list of typed entries (policies, shocks) validated against the class
    ``registry`` holds under its ``type`` (or reported)."""
    if not isinstance(entries, list):
        return entries  # pydantic reports the wrong type
    out = []
    for i, entry in enumerate(entries):
        loc = prefix + (i,)
        if not isinstance(entry, dict) or "type" not in entry:
            rep.add(loc, f"a {what} is a mapping with at least a 'type' "
                         f"(one of: {allowed(registry)})")
            continue
        kind = entry["type"]
        cls = registry.get(kind) if isinstance(kind, str) else None  # a list or a mapping is no type name
        if cls is None:
            rep.add(loc + ("type",), f"unknown {what} type '{kind}'{did_you_mean(kind, registry)}; "
                                     f"allowed: {allowed(registry)}")
            continue
        try:
            out.append(cls.model_validate(entry))
        except ValidationError as exc:
            rep.add_pydantic(exc, loc, cls)
    return out


def _typed_lists(data: dict, rep: Reporter) -> dict:
    """The scenario's and its arms' policies and shocks, each entry read as its registered type."""
    data = dict(data)
    kinds = (("policies", POLICY_TYPES, "policy"), ("shocks", SHOCK_TYPES, "shock"))
    for key, registry, what in kinds:
        data[key] = parse_entries(data.get(key, []), (key,), rep, registry, what)
    arms = data.get("arms")
    if isinstance(arms, dict):
        data["arms"] = {name: ({**arm, **{key: parse_entries(arm.get(key, []), ("arms", name, key), rep, registry,
                                                             what) for key, registry, what in kinds}}
                               if isinstance(arm, dict) else arm) for name, arm in arms.items()}
    return data


def _shock_checks(sc: Scenario, rep: Reporter) -> None:
    """At most ``limits.MAX_SHOCKS`` shocks an arm; a building emergency hits at most the
    buildings the community has."""
    lists = [(("shocks",), sc.shocks)] + [(("arms", name, "shocks"), arm.shocks) for name, arm in sc.arms.items()]
    total = len(sc.shocks) + max((len(arm.shocks) for arm in sc.arms.values()), default=0)
    if total > limits.MAX_SHOCKS:
        rep.add(("shocks",), f"{total} shocks in an arm, more than {limits.MAX_SHOCKS} "
                             "(a limit on what an input may cost: simgov.scenario.limits.MAX_SHOCKS)")
    for prefix, shocks in lists:
        for i, shock in enumerate(shocks):
            if shock.type == "building_emergency" and shock.size > sc.community.buildings:
                rep.add(prefix + (i, "size"), f"{shock.size} buildings hit, but the community has "
                                              f"{sc.community.buildings}; size is between 1 and "
                                              f"{sc.community.buildings}")


def _cross_checks(sc: Scenario, rep: Reporter) -> None:
    c, a = sc.community, sc.actors
    if c.households > c.residents:
        rep.add(("community", "households"),
                f"{c.households} households for {c.residents} residents: "
                "there cannot be more households than residents")
    if c.buildings > c.households:
        rep.add(("community", "buildings"),
                f"{c.buildings} buildings for {c.households} households: each building needs a household")
    if c.grids > c.buildings:
        rep.add(("community", "grids"),
                f"{c.grids} grids for {c.buildings} buildings: each grid needs a building")
    counts = c.group_counts()
    nest, nest_households = c.empty_nest_plan()
    rest_households, rest_residents = c.households - nest_households, c.residents - nest
    heads = counts["working_adults"] + counts["other_adults"] + counts["migrant_elderly"] \
        + counts["elderly"] - nest
    if c.households <= c.residents:  # else reported above; the plan would only repeat it
        if rest_residents > 0 and not 1 <= rest_households <= heads:
            rep.add(("community", "households"),
                    f"{c.households} households cannot be formed: {nest_households} are empty-nest "
                    f"elderly households, and the other {rest_households} need between 1 and {heads} "
                    "adult heads; change households, the mix or empty_nest_elderly")
        elif rest_residents == 0 and rest_households > 0:
            rep.add(("community", "households"),
                    f"{rest_households} households would have no residents")
        elif rest_households < 0:
            rep.add(("community", "households"),
                    f"{c.households} households are too few for the {nest_households} households of "
                    f"{nest} empty-nest elderly residents; raise households, or lower empty_nest_elderly "
                    "or raise empty_nest_couples")
    adults = c.residents - counts["children"]
    for key in ("party_members_resident", "steady_volunteers"):
        if getattr(a, key) > adults:
            rep.add(("actors", key), f"{getattr(a, key)} is more than the {adults} adult residents")
    # Counts of people and organisations beyond the residents: each costs memory and work in
    # every week, so a count far beyond the community's size is a typing slip that would
    # exhaust the machine.
    most = max_count(c.residents)
    for key in ("cadres", "grid_workers", "party_members_sunk", "social_workers", "volunteer_teams",
                "self_organisations", "professional_organisations", "donors"):
        value = getattr(a, key)
        if value is not None and value > most:
            rep.add(("actors", key), _too_many(value, c.residents))
    if a.budget_yuan_per_year > MAX_YUAN:
        rep.add(("actors", "budget_yuan_per_year"), f"{a.budget_yuan_per_year:,.0f} yuan is more than "
                f"{MAX_YUAN:,.0f} (simgov.scenario.loader.MAX_YUAN)")
    _policy_counts(sc.policies, ("policies",), c.residents, rep)
    for name, arm in sc.arms.items():
        _policy_counts(arm.policies, ("arms", name, "policies"), c.residents, rep)
    _shock_checks(sc, rep)


#: Largest sum of money a policy or the committee may handle, in yuan a year or at once
#: (a thousand times the largest real community budget in the sources): beyond it the
#: model's counts of funded activities overflow.
MAX_YUAN = 1e9
#: A count of actors, or a policy's count (visits, cases, pairs, staff ...), may be at most
#: the community's residents or this, whichever is larger.
MAX_COUNT = 10_000


def max_count(residents: int) -> int:
    return max(residents, MAX_COUNT)


def _too_many(value: int, residents: int) -> str:
    return (f"{value:,} is more than {max_count(residents):,}, the most a count may be in a community of "
            f"{residents:,} residents (its residents or simgov.scenario.loader.MAX_COUNT, whichever is larger)")


def _policy_counts(policies, prefix: tuple, residents: int, rep: Reporter) -> None:
    """Whole-number policy parameters (visits, cases, pairs, staff ...) are bounded by
    ``max_count``, and sums of money by ``MAX_YUAN``: beyond them a run allocates arrays of
    that size every week, or overflows."""
    for i, policy in enumerate(policies):
        for key in type(policy).model_fields:
            value = getattr(policy, key)
            if key in ("start_week", "end_week") or isinstance(value, bool):
                continue
            if isinstance(value, int) and value > max_count(residents) and not key.endswith("weeks"):
                rep.add(prefix + (i, key), _too_many(value, residents))
            elif isinstance(value, float) and "yuan" in key and value > MAX_YUAN:
                rep.add(prefix + (i, key), f"{value:,.0f} yuan is more than {MAX_YUAN:,.0f} "
                                           "(simgov.scenario.loader.MAX_YUAN)")


def _arm_check(sc: Scenario, rep: Reporter) -> None:
    for name in sc.arms:
        if name == "all":
            rep.add(("arms", name), "'all' is reserved: simgov run --arm all runs every arm; "
                                    "give this arm another name")
    for k, target in enumerate(sc.targets):
        if target.arm not in sc.arm_names:
            rep.add(("targets", k, "arm"), f"no arm named '{target.arm}'"
                    f"{did_you_mean(target.arm, sc.arm_names)}; arms: {allowed(sc.arm_names)}")
    for name in sc.arms:
        try:
            for_arm(sc, name)
        except ValidationError as exc:
            rep.add_pydantic(exc, ("arms", name, "parameters"), Parameters)
    _policy_conflicts(sc, rep)


def _policy_conflicts(sc: Scenario, rep: Reporter) -> None:
    """Two policies of a type that does not add up may not run in the same weeks of an arm."""
    n = len(sc.policies)
    lists = {None: sc.policies} | {name: sc.policies + arm.policies for name, arm in sc.arms.items()}
    reported = set()
    for arm, policies in lists.items():
        for i, j, reason in conflicts(policies):
            where = [("policies", k) if k < n else ("arms", arm, "policies", k - n) for k in (i, j)]
            if where[1] in reported:
                continue
            reported.add(where[1])
            p = policies[j]
            rep.add(where[1], f"a second '{p.type}' policy runs in the same weeks as the one at "
                              f"{'.'.join(map(str, where[0]))}: {reason}")


def validate(data: dict, marks: dict[tuple, Mark], top: Path) -> Scenario:
    """Validate a merged scenario mapping; all problems are reported together."""
    rep = Reporter(top, marks)
    data = _typed_lists(data, rep)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        rep.add_pydantic(exc, (), Scenario)
        rep.raise_if_any()
        raise
    rep.raise_if_any()
    _cross_checks(scenario, rep)
    _arm_check(scenario, rep)
    rep.raise_if_any()
    return scenario


def check(scenario: Scenario, top: Path, marks: dict[tuple, Mark] | None = None) -> None:
    """The checks across fields that a file passes beyond its schema (households and
    residents, policies that may not overlap ...), for a scenario built in code."""
    rep = Reporter(top, marks or {})
    _cross_checks(scenario, rep)
    _arm_check(scenario, rep)
    rep.raise_if_any()


#: Where problems of a scenario given as a mapping or built in code are said to be.
IN_CODE = Path("<scenario given in code>")


def load_scenario(name_or_path: str | Path | dict | Scenario) -> Scenario:
    """The validated scenario from a bundled name, a file path (with its ``extends`` chain),
    a mapping laid out as a scenario file, or a ``Scenario`` (given the checks across fields
    that a file gets, since pydantic alone checks each field by itself)."""
    if isinstance(name_or_path, Scenario):
        check(name_or_path, IN_CODE)
        return name_or_path
    if isinstance(name_or_path, dict):
        limits.check_data(name_or_path, IN_CODE)
        data, marks = dict(name_or_path), {}
        if isinstance(data.get("extends"), str):  # a bundled name or a path (from the working folder)
            parent, marks = _load_chain(resolve_path(data["extends"]), ())
            data = _merge(parent, data)
        data.setdefault("name", "scenario")
        return validate(data, marks, IN_CODE)
    if not isinstance(name_or_path, str | Path):
        raise InputError(Problem(f"a scenario is a bundled name, a path, a mapping or a Scenario, not a "
                                 f"{type(name_or_path).__name__}", path="scenario"))
    path = resolve_path(name_or_path)
    data, marks = _load_chain(path, ())
    data.setdefault("name", path.stem)
    return validate(data, marks, path)


def idle_policies(scenario: Scenario, weeks: int, arms: list[str] | None = None) -> list[str]:
    """Policies and shocks (of the scenario or of ``arms``, default every arm) that start after
    the last of ``weeks`` weeks, so never act: legal, and surely not what was meant."""
    chosen = [a for a in (scenario.arm_names if arms is None else arms) if a in scenario.arms]
    out = []
    for key, what in (("policies", "policy"), ("shocks", "shock")):
        lists = [(key, getattr(scenario, key))] + [(f"arms.{a}.{key}", getattr(scenario.arms[a], key)) for a in chosen]
        out += [f"{where}.{i}: the '{p.type}' {what} starts in week {p.start_week}, after the run's last week "
                f"({weeks}), so it never acts" for where, entries in lists for i, p in enumerate(entries)
                if p.start_week > weeks]
    return out


def warn_idle_policies(scenario: Scenario, arms: list[str] | None, weeks: int) -> None:
    for message in idle_policies(scenario, weeks, arms):
        warnings.warn(InputWarning(f"{scenario.name}: {message}"), stacklevel=3)


# ----------------------------------------------------------------------------- arms
def as_arm(scenario: Scenario, arm: str = "baseline") -> Scenario:
    """One arm as a scenario of its own: no other arms, and of the targets only that arm's
    (now measured in its baseline)."""
    targets = tuple(t.model_copy(update={"arm": "baseline"}) for t in scenario.targets if t.arm == arm)
    return for_arm(scenario, arm).model_copy(update={"arms": {}, "targets": targets})


def for_arm(scenario: Scenario, arm: str = "baseline") -> Scenario:
    """The scenario as one arm runs it: the arm's policies added, its parameters merged."""
    if arm == "baseline" and arm not in scenario.arms:
        return scenario
    if arm not in scenario.arms:
        raise InputError(Problem(
            f"no arm named '{arm}'{did_you_mean(arm, scenario.arm_names)}; "
            f"arms: {allowed(scenario.arm_names)}", path="arms"))
    spec: Arm = scenario.arms[arm]
    params = Parameters.model_validate(
        _merge(scenario.parameters.model_dump(), spec.parameters))
    policies: tuple[PolicyParams, ...] = scenario.policies + spec.policies
    return scenario.model_copy(update={"parameters": params, "policies": policies,
                                       "shocks": scenario.shocks + spec.shocks})
