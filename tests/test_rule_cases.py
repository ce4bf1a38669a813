"""Readable rule cases (tests/rule_cases/*.yaml) run against the pure functions of sim.rules."""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field

from conftest import TESTS, load_cases
from sim.codes import ART8, GRANTED, KINDS, NAREIS, REASONS, REFUSED, RELATIONS, STATUSES
from sim.parameters import load_model_parameters
from sim.rules import (
    RULES,
    Member,
    Policy,
    Sponsor,
    family_route,
    in_nareis_circle,
    nareis_filing_day,
    nareis_verdict,
)
from sim.scenario import Rules

CASE_DIR = TESTS / "rule_cases"
ORIGIN = dt.date(2014, 1, 1)
ROUTE_NAMES = {NAREIS: "nareis", ART8: "art8", None: "none"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SponsorSpec(_Strict):
    kind: Literal[KINDS]  # type: ignore[valid-type]
    generation: int = Field(ge=0)
    has_permit: bool
    status: Literal[STATUSES]  # type: ignore[valid-type]
    permit_days_before: int = Field(ge=0)
    u_conditions: float = Field(ge=0, lt=1)


class MemberSpec(_Strict):
    kind: Literal[KINDS]  # type: ignore[valid-type]
    relation: Literal[RELATIONS]  # type: ignore[valid-type]
    married: bool
    claim_holds: bool


class Draws(_Strict):
    u_detect: float = Field(0.99, ge=0, lt=1)
    u_grant: float = Field(0.01, ge=0, lt=1)


class VerdictSpec(_Strict):
    outcome: Literal["granted", "refused"] | None = None
    reason: Literal[REASONS] | None = None  # type: ignore[valid-type]
    hold_until: dt.date | None = None


class Expected(_Strict):
    in_circle: bool | None = None
    route: Literal["nareis", "art8", "none"] | None = None
    verdict: VerdictSpec | None = None
    filing_on: dt.date | None = None


class Case(_Strict):
    name: str
    date: dt.date
    filed: dt.date | None = None
    rules: dict
    parameters: dict[str, float] = {}
    sponsor: SponsorSpec
    member: MemberSpec
    draws: Draws = Draws()
    expected: Expected


CASES = load_cases(CASE_DIR, Case)


def _setup(case: Case):
    rules = Rules.model_validate(case.rules)
    periods = {name: list(getattr(rules, name)) for name in RULES if getattr(rules, name)}
    params = {name: p.value for name, p in load_model_parameters().items()}
    unknown = set(case.parameters) - set(params)
    assert not unknown, f"unknown parameters in case: {unknown}"
    params.update(case.parameters)
    policy = Policy(periods, params, ORIGIN)
    day = policy.day(case.date)
    s = case.sponsor
    sponsor = Sponsor(KINDS.index(s.kind), s.generation, s.has_permit, STATUSES.index(s.status),
                      day - s.permit_days_before, s.u_conditions)
    m = case.member
    member = Member(KINDS.index(m.kind), RELATIONS.index(m.relation), m.married, m.claim_holds)
    return policy, day, sponsor, member


def test_there_are_cases_for_every_topic():
    stems = {label.split(":")[0] for label, _ in CASES}
    assert {"nareis_circle", "pending_applications", "b_status_waiting_period",
            "stacked_spouse_regular_route", "decisions"} <= stems
    assert len(CASES) >= 30
    assert all(case.expected.model_dump(exclude_none=True) for _, case in CASES), "a case expects something"


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[label for label, _ in CASES])
def test_rule_case(case: Case):
    policy, day, sponsor, member = _setup(case)
    at = policy.at(day)
    exp = case.expected
    if exp.in_circle is not None:
        assert in_nareis_circle(sponsor, member, at) is exp.in_circle
    if exp.route is not None:
        assert ROUTE_NAMES[family_route(sponsor, member, at)] == exp.route
    if exp.filing_on is not None:
        filing = nareis_filing_day(sponsor, day, at)
        assert filing >= day
        assert math.floor(filing) == policy.day(exp.filing_on)
    if exp.verdict is not None:
        filed = policy.day(case.filed or case.date)
        assert filed <= day, "an application is decided on or after its filing day"
        v = nareis_verdict(sponsor, member, filed, at, case.draws.u_detect, case.draws.u_grant)
        if exp.verdict.hold_until is not None:
            assert v.hold_until == policy.day(exp.verdict.hold_until)
            assert exp.verdict.outcome is None
        else:
            assert v.hold_until is None
            outcome = {"granted": GRANTED, "refused": REFUSED}[exp.verdict.outcome]
            assert v.outcome == outcome
            reason = exp.verdict.reason or "none"
            assert REASONS[v.reason] == reason
