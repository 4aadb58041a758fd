from pathlib import Path

import pytest
import yaml

import simgov
from simgov.params import Share, field
from simgov.policies import POLICY_TYPES, PolicyParams


@pytest.fixture(scope="session")
def b_community():
    return simgov.load_scenario("b-community")


@pytest.fixture
def write_yaml(tmp_path):
    """Write a scenario file (a dict, or raw text) and return its path."""
    def write(content, name="scenario.yaml", folder: Path | None = None) -> Path:
        path = (folder or tmp_path) / name
        path.write_text(content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True),
                        encoding="utf-8")
        return path
    return write


class ProbePolicy(PolicyParams):
    """A policy type that exists only in the tests, to exercise policy validation."""

    intensity: Share = field(0.5, "test parameter")


@pytest.fixture
def probe_policy(monkeypatch):
    monkeypatch.setitem(POLICY_TYPES, "probe", ProbePolicy)
    return ProbePolicy


@pytest.fixture(scope="session")
def small(b_community):
    """B community scaled down to 1,500 residents (same mix and ratios), for rule tests."""
    c = b_community.community.model_copy(update={"residents": 1500, "households": 611, "buildings": 6,
                                                  "grids": 3, "area_km2": None})
    a = b_community.actors.model_copy(update={"party_members_resident": 13, "steady_volunteers": 30,
                                              "volunteer_teams": 3, "grid_workers": 3})
    # No warm-up: rule tests start from the synthesised state, which they control.
    return b_community.model_copy(update={"name": "small", "community": c, "actors": a, "warmup_weeks": 0})


@pytest.fixture
def model(small):
    from simgov.model import CommunityModel
    return CommunityModel(small, weeks=60)


@pytest.fixture(scope="session")
def compare_dir(tmp_path_factory):
    """A small comparison (mediation and door-knocking against the baseline) with its report."""
    from simgov.cli import main

    out = tmp_path_factory.mktemp("cmp")
    assert main(["compare", "b-community", "--reps", "2", "--weeks", "8", "--arm", "mediation",
                 "--arm", "door_knocking", "--out", str(out), "--quiet"]) == 0
    return out


def keyed(seed: int, clock, name: str = "test"):
    """A keyed random stream for a rule test, reading its week from ``clock`` (the state):
    a test that steps a mechanism several times must advance ``clock.week`` between steps,
    or it draws the same numbers again (the draws are keyed by week)."""
    from simgov.streams import KeyedStream
    return KeyedStream(seed, name, clock)
