from pathlib import Path

import pytest
import yaml

import simgov
from simgov.policies import POLICY_TYPES, PolicyParams
from simgov.params import Share, field


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
