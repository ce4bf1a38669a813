"""Readable rule cases (tests/rule_cases/*.yaml) run against the pure functions of sim.rules."""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal

import pytest
from pydantic import Field

from conftest import TESTS, MemberSpec, SponsorSpec, StrictSpec, case_parameters, load_cases
from sim.codes import ART8, GRANTED, NAREIS, REASONS, REFUSED
from sim.rules import (
    RULES,
    Policy,
    art8_verdict,
    family_route,
    in_nareis_circle,
    nareis_filing_day,
    nareis_verdict,
)
from sim.scenario import Rules

CASE_DIR = TESTS / "rule_cases"
ORIGIN = dt.date(2014, 1, 1)
ROUTE_NAMES = {NAREIS: "nareis", ART8: "art8", None: "none"}


class Draws(StrictSpec):
    u_detect: float = Field(0.99, ge=0, lt=1)
    u_grant: float = Field(0.01, ge=0, lt=1)


class VerdictSpec(StrictSpec):
    outcome: Literal["granted", "refused"] | None = None
    reason: Literal[REASONS] | None = None  # type: ignore[valid-type]
    hold_until: dt.date | None = None


class Expected(StrictSpec):
    in_circle: bool | None = None
    route: Literal["nareis", "art8", "none"] | None = None
    verdict: VerdictSpec | None = None
    art8_verdict: VerdictSpec | None = None
    filing_on: dt.date | None = None


class Case(StrictSpec):
    name: str
    date: dt.date
    filed: dt.date | None = None
    rules: dict
    parameters: dict[str, float] = {}
    art8_grant_share: float | None = Field(None, ge=0, le=1)
    sponsor: SponsorSpec
    member: MemberSpec
    draws: Draws = Draws()
    expected: Expected


CASES = load_cases(CASE_DIR, Case)


def _setup(case: Case):
    rules = Rules.model_validate(case.rules)
    periods = {name: list(getattr(rules, name)) for name in RULES if getattr(rules, name)}
    policy = Policy(periods, case_parameters(case.parameters), ORIGIN)
    day = policy.day(case.date)
    return policy, day, case.sponsor.sponsor(day), case.member.member()


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
            _check_decided(v, exp.verdict)
    if exp.art8_verdict is not None:
        assert case.art8_grant_share is not None, "an Art. 8 verdict needs the year's art8_grant_share"
        v = art8_verdict(sponsor, member, policy.day(case.filed or case.date), at, case.draws.u_grant,
                         case.art8_grant_share)
        _check_decided(v, exp.art8_verdict)


def _check_decided(v, spec: VerdictSpec) -> None:  # type: ignore[no-untyped-def]
    """A verdict that decides (no hold): the expected outcome, and the expected reason ("none" if not given)."""
    assert v.hold_until is None
    assert v.outcome == {"granted": GRANTED, "refused": REFUSED}[spec.outcome]
    assert REASONS[v.reason] == (spec.reason or "none")
