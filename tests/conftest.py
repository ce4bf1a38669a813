"""Shared helpers: the baseline scenario at test scale, variants of it, and one replication's records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field

from sim.codes import KINDS, RELATIONS, ROUTES, STATUSES
from sim.engine import EngineResult
from sim.parameters import Parameters, load_model_parameters
from sim.population import People
from sim.rules import Member, Sponsor
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


def code_version_changing_after_the_first_evaluation(mp: pytest.MonkeyPatch, module: Any) -> None:
    """Make ``module.code_version`` read ``0.1.0 (at-start)`` until the fit's objective has first run and
    ``0.1.0 (changed-later)`` after, as if the checkout changed during a long run."""
    import sim.calibration.fit as fit

    started = []
    real = fit.objective

    def objective(*args: Any, **kwargs: Any) -> Any:
        started.append(True)
        return real(*args, **kwargs)

    mp.setattr(fit, "objective", objective)
    mp.setattr(module, "code_version", lambda: "0.1.0 (changed-later)" if started else "0.1.0 (at-start)")


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


# --- readable rule and lever cases (tests/rule_cases, tests/lever_cases) ------------------------------------

class StrictSpec(BaseModel):
    """A part of a YAML test case: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SponsorSpec(StrictSpec):
    kind: Literal[KINDS]  # type: ignore[valid-type]
    generation: int = Field(ge=0)
    has_permit: bool
    status: Literal[STATUSES]  # type: ignore[valid-type]
    permit_days_before: int = Field(ge=0)
    u_conditions: float = Field(ge=0, lt=1)
    entered_as_minor: bool = False
    entry: Literal[("none", *ROUTES)] = "none"  # type: ignore[valid-type]
    amv_sibling: bool = False

    def sponsor(self, day: float) -> Sponsor:
        """The rules' view of this sponsor on ``day``."""
        return Sponsor(KINDS.index(self.kind), self.generation, self.has_permit, STATUSES.index(self.status),
                       day - self.permit_days_before, self.u_conditions, self.entered_as_minor,
                       entry=ROUTES.index(self.entry) if self.entry != "none" else -1, amv_sibling=self.amv_sibling)


class MemberSpec(StrictSpec):
    kind: Literal[KINDS]  # type: ignore[valid-type]
    relation: Literal[RELATIONS]  # type: ignore[valid-type]
    married: bool
    claim_holds: bool

    def member(self) -> Member:
        """The rules' view of this family member."""
        return Member(KINDS.index(self.kind), RELATIONS.index(self.relation), self.married, self.claim_holds)


def case_parameters(overrides: dict[str, float]) -> dict[str, float]:
    """The shipped model parameters with a case's overrides (which must name known parameters)."""
    params = {name: p.value for name, p in load_model_parameters().items()}
    unknown = set(overrides) - set(params)
    assert not unknown, f"unknown parameters in case: {unknown}"
    return {**params, **overrides}
