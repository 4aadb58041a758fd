"""Commands that read and check scenarios without running them: scenarios, show, priors, validate,
and the teaching demo's server."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

from simgov.cli.common import int_in
from simgov.errors import InputError, InputWarning


def register(sub) -> None:
    val = sub.add_parser("validate", help="check scenario and experiment files",
                         description="Check scenario and experiment files; print what is wrong, with file, "
                                     "line and field.")
    val.add_argument("files", nargs="+", metavar="FILE")
    val.set_defaults(handler=cmd_validate)

    sub.add_parser("scenarios", help="list the bundled scenarios").set_defaults(handler=cmd_scenarios)
    show = sub.add_parser("show", help="print a scenario as it runs, every default filled in",
                          description="Print the resolved scenario (its extends chain merged, every default "
                                      "filled in) as YAML; with --arm, as that arm runs it.")
    show.add_argument("scenario", metavar="SCENARIO", help="a bundled scenario name or a path to a .yaml file")
    show.add_argument("--arm", default=None, metavar="ARM", help="the arm to resolve (default: the whole file)")
    show.set_defaults(handler=cmd_show)

    pri = sub.add_parser("priors", help="list a scenario's uncertain parameters and their priors",
                         description="List every uncertain parameter of a scenario (mechanisms, the assumed "
                                     "numbers of community, actors and network, and the parameters of the "
                                     "policies its arms run) with its value, prior, 95%% interval, whether the "
                                     "prior is declared or by the default rule, and its reason (docs/priors.md).")
    pri.add_argument("scenario", metavar="SCENARIO", help="a bundled scenario name or a path to a .yaml file")
    pri.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    pri.set_defaults(handler=cmd_priors)

    demo = sub.add_parser("demo", help="start the teaching demo, an interactive app in the browser",
                          description="Start the teaching demo: a browser app (Mesa and Solara) that shows a small "
                                      "community week by week, with policies to switch on and off while it runs. It "
                                      "works offline and sends no usage data. Needs the 'demo' extra: in the "
                                      "source folder, ./dev simgov demo or pip install '.[demo]' (docs/teaching.md).")
    demo.add_argument("--scenario", default="teaching-estate", metavar="NAME",
                      help="a bundled scenario of at most 2,000 residents (default: teaching-estate)")
    demo.add_argument("--port", type=int_in(0, 65535, "--port"), default=8765,
                      help="port to listen on (default: 8765; 0: any free port)")
    demo.add_argument("--host", default="127.0.0.1",
                      help="address to listen on (default: 127.0.0.1, this machine only)")
    demo.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    demo.set_defaults(handler=cmd_demo)

def cmd_scenarios(args) -> int:
    from simgov.scenario import bundled_names, load_scenario

    rows = []
    for name in bundled_names():
        sc = load_scenario(name)
        c = sc.community
        rows.append((name, f"{c.residents:,} residents, {c.households:,} households", sc.title))
    width = max(len(r[0]) for r in rows) if rows else 0
    for name, size, title in rows:
        print(f"{name:<{width}}  {size:<36}  {title}")
    return 0


def cmd_show(args) -> int:
    from simgov.scenario import as_arm, load_scenario, to_yaml

    scenario = load_scenario(args.scenario)
    if args.arm:
        scenario = as_arm(scenario, args.arm)
    print(to_yaml(scenario), end="")
    return 0


def cmd_priors(args) -> int:
    from simgov.scenario import load_scenario
    from simgov.uncertainty import table

    t = table(load_scenario(args.scenario))
    if args.csv:
        print(t.to_csv(index=False), end="")
        return 0
    t = t.assign(declared=t.declared.map({True: "yes", False: "rule"}),
                 interval=[f"{lo:.3g} - {hi:.3g}" for lo, hi in zip(t.low_95, t.high_95, strict=True)])
    print(t[["path", "value", "prior", "interval", "declared", "reason"]].to_string(index=False, max_colwidth=60))
    return 0


def cmd_demo(args) -> int:
    from simgov.demo.server import serve

    return serve(args.scenario, args.host, args.port, open_browser=not args.no_browser)


def cmd_validate(args) -> int:
    from simgov.community import check_feasible, estimate_bytes
    from simgov.experiment.sweep import prepare
    from simgov.scenario import load_scenario
    from simgov.scenario.loader import read_yaml, warn_idle_policies

    failed = 0
    for f in args.files:
        try:
            with warnings.catch_warnings():  # the scenario's own load warns, once
                warnings.simplefilter("ignore", InputWarning)
                is_experiment = Path(f).is_file() and "factors" in read_yaml(Path(f))[0]
            if is_experiment:
                plan = prepare(f)
                e = plan.experiment
                print(f"ok: {f}: experiment '{e.name}' on '{plan.base.name}' ({e.arm}), {e.design.method}: "
                      f"{len(plan.design):,} points x {e.replicates} replicates = {plan.runs:,} runs of "
                      f"{plan.weeks} weeks")
                continue
            sc = load_scenario(f)
            check_feasible(sc)
            warn_idle_policies(sc, None, sc.weeks)
        except InputError as exc:
            failed += 1
            for problem in exc.problems:
                print(f"error: {problem}", file=sys.stderr)
            continue
        print(f"ok: {f}: '{sc.name}', {sc.community.residents:,} residents, arms: "
              f"{', '.join(sc.arm_names)}; about {estimate_bytes(sc) / 2**20:,.0f} MiB per run")
    return 2 if failed else 0


