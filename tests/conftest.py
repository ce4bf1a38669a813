"""Shared helpers: the baseline scenario at test scale, variants of it, and one replication's records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from sim.engine import EngineResult
from sim.parameters import Parameters
from sim.population import People
from sim.runner import simulate
from sim.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
TESTS = Path(__file__).resolve().parent


def baseline(scale: float = 0.03, **run: Any) -> Scenario:
    """The shipped baseline at a small scale."""
    return Scenario.from_yaml(BASELINE).with_run(scale=scale, **run)


def variant(scenario: Scenario, rules: dict[str, Any] | None = None,
            parameters: dict[str, float] | None = None, projection: str | None = None) -> Scenario:
    """A validated copy of ``scenario`` with rules replaced, parameters overridden or another projection."""
    d = scenario.to_dict()
    if rules:
        d["rules"] = {**d["rules"], **rules}
    if parameters:
        d["parameters"] = {**d["parameters"], **parameters}
    if projection:
        d["inflow"] = {"projection": projection}
    return Scenario.model_validate(d)


@dataclass
class Replication:
    scenario: Scenario
    params: Parameters
    people: People
    result: EngineResult
    year_starts: np.ndarray
    horizon_day: float

    @property
    def apps(self):  # type: ignore[no-untyped-def]
        return self.result.applications

    def day(self, date: dt.date) -> float:
        return float((date - self.scenario.run.start).days)


def build(scenario: Scenario, replication: int = 0) -> Replication:
    """Run one replication as ``sim.runner.run_replication`` does, keeping the records."""
    sim = simulate(scenario, replication)
    return Replication(scenario, sim.params, sim.people, sim.result, sim.year_starts, sim.horizon_day)


@pytest.fixture(scope="session")
def baseline_scenario() -> Scenario:
    return baseline(0.03)


@pytest.fixture(scope="session")
def baseline_replication(baseline_scenario: Scenario) -> Replication:
    return build(baseline_scenario, 0)


#: The files of a run folder and the header line of each CSV (docs/results.md).
HEADERS = {
    "yearly.csv": "scenario,year,flow,measure,mean,p05,p50,p95",
    "cohorts.csv": "scenario,application_year,flow,outcome,as_of,mean,p05,p50,p95",
    "breakdown.csv": "scenario,year,flow,measure,relation,status,mean,p05,p50,p95",
    "replications.csv": "scenario,replication,seed,year,flow,measure,value",
}
FILES = {"manifest.json", *HEADERS}


def load_cases(folder: Path, model: type) -> list[tuple[str, Any]]:
    """Readable YAML test cases (a list per file), validated with ``model``, named ``file: case name``."""
    out = []
    for path in sorted(folder.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text("utf-8")):
            case = model.model_validate(raw)
            out.append((f"{path.stem}: {case.name}", case))
    return out
