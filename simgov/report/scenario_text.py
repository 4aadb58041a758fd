"""The scenario as a report describes it: its own words, its community, its actors, its policies.

The manifest records every policy with every parameter (``simgov.scenario.dump``); the report
names those that differ from the policy type's defaults, so a reader sees what the file chose.
"""

from __future__ import annotations

from simgov.policies import POLICY_TYPES


def _defaults(kind: str) -> dict:
    cls = POLICY_TYPES.get(kind)
    return cls().model_dump(mode="json") if cls is not None else {}


def policy_items(report, policies) -> list[dict]:
    """Each policy: its name, type, weeks it runs and the parameters set away from their defaults."""
    items = []
    for p in policies or []:
        default = _defaults(p["type"])
        params = ", ".join(f"{k} {v}" for k, v in p.items()
                           if k not in ("type", "start_week", "end_week") and default.get(k, object()) != v)
        end = p["end_week"] if p.get("end_week") is not None else report.t("end")
        items.append({"name": report.policy(p["type"]), "type": p["type"],
                      "weeks": f"{report.t('week')} {p.get('start_week', 1)}–{end}", "params": params})
    return items


def scenario_context(report, arms_ran: set[str]) -> dict:
    """What the report's scenario section shows, in the report's language; only the arms that ran."""
    sc = report.scenario
    c, a = sc["community"], sc["actors"]
    area = report.t("area", area=c["area_km2"]) if c.get("area_km2") else ""
    community = report.t("community_line", residents=f"{c['residents']:,}", households=f"{c['households']:,}",
                         buildings=c["buildings"], grids=c["grids"], area=area)
    actors = report.t("actors_line", budget=f"{a['budget_yuan_per_year']:,.0f}", **{k: a[k] for k in (
        "cadres", "party_members_resident", "party_members_sunk", "social_workers", "steady_volunteers",
        "volunteer_teams", "self_organisations", "professional_organisations", "donors")})
    arms = [{"label": report.arm(name), "name": name, "description": report.text(spec, "description"),
             "policies": policy_items(report, spec.get("policies"))}
            for name, spec in (sc.get("arms") or {}).items() if name in arms_ran]
    return {"description": report.text(sc, "description"), "community": community, "actors": actors,
            "policies": policy_items(report, sc.get("policies")), "arms": arms, "sources": list(sc.get("sources", []))}
