"""Readable lever cases (tests/lever_cases/*.yaml): every policy lever at its effective-date boundary.

Each case asks one pure function of :mod:`sim.rules` about one day. The cases come in pairs around a period's
``from`` date: on the day before, the lever changes nothing; on ``from`` it acts (and, where a case file says
so, on ``until`` it still acts and the day after it no longer does). See tests/lever_cases/README.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import pytest
from pydantic import Field

from conftest import MemberSpec, SponsorSpec, StrictSpec, case_parameters, load_cases
from sim.capacity import decisions_per_month, earliest_decision_days, handling_days, monthly_cap
from sim.codes import GRANTED, REASONS, REFUSED, ROUTES
from sim.policy import Policy
from sim.rules import (
    RULES,
    Member,
    Sponsor,
    art8_verdict,
    displaced_to_art8,
    nareis_verdict,
    stacking_ban,
    withdrawal_detected,
)

CASE_DIR = Path(__file__).resolve().parent / "lever_cases"
ORIGIN = dt.date(2014, 1, 1)
#: The levers a scenario can pull, each with at least one case on the day before and one on its ``from`` date.
LEVERS = ("stricter_interviews", "stacking_ban", "monthly_cap", "ind_capacity", "decision_term",
          "withdrawal_enforcement")


class Draws(StrictSpec):
    """The person's uniform draws; the defaults pass every grant and trigger nothing."""

    u_detect: float = Field(0.99, ge=0, lt=1)
    u_grant: float = Field(0.01, ge=0, lt=1)
    u_displace: float = Field(0.99, ge=0, lt=1)
    u_withdraw: float = Field(0.99, ge=0, lt=1)


class VerdictSpec(StrictSpec):
    outcome: Literal["granted", "refused"]
    reason: Literal[REASONS] = "none"  # type: ignore[valid-type]


class CapSpec(StrictSpec):
    arrivals: float | None  # required: null means "no cap on arrivals"
    grants: float | None


class CapacitySpec(StrictSpec):
    route: Literal[ROUTES]  # type: ignore[valid-type]
    base: float = Field(ge=0)
    per_month: float


class HandlingSpec(StrictSpec):
    route: Literal[ROUTES]  # type: ignore[valid-type]
    mean_days: float
    extra_days: float


class EarliestSpec(StrictSpec):
    route: Literal[ROUTES]  # type: ignore[valid-type]
    days: float


class Expected(StrictSpec):
    nareis_verdict: VerdictSpec | None = None
    art8_verdict: VerdictSpec | None = None
    banned: bool | None = None
    displaced: bool | None = None
    cap: CapSpec | None = None
    capacity: CapacitySpec | None = None
    handling: HandlingSpec | None = None
    earliest_decision: EarliestSpec | None = None
    withdrawn: bool | None = None


class Case(StrictSpec):
    name: str
    date: dt.date
    filed: dt.date | None = None
    rules: dict[str, list[dict]]
    parameters: dict[str, float] = {}
    art8_grant_share: float | None = Field(None, ge=0, le=1)
    sponsor: SponsorSpec | None = None
    member: MemberSpec | None = None
    draws: Draws = Draws()
    expected: Expected


CASES = load_cases(CASE_DIR, Case)


def _policy(case: Case) -> Policy:
    unknown = set(case.rules) - set(RULES)
    assert not unknown, f"unknown rules in case: {unknown}"
    periods = {name: [RULES[name].model_validate(p) for p in plist] for name, plist in case.rules.items()}
    return Policy(periods, case_parameters(case.parameters), ORIGIN)


def _sponsor(case: Case, day: float) -> Sponsor:
    assert case.sponsor is not None, "this expectation needs a sponsor"
    return case.sponsor.sponsor(day)


def _member(case: Case) -> Member:
    assert case.member is not None, "this expectation needs a member"
    return case.member.member()


def _check_verdict(v, spec: VerdictSpec) -> None:  # type: ignore[no-untyped-def]
    assert v.hold_until is None
    assert v.outcome == {"granted": GRANTED, "refused": REFUSED}[spec.outcome]
    assert REASONS[v.reason] == spec.reason


def test_cases_load_and_expect_something():
    assert len(CASES) >= 30
    for label, case in CASES:
        assert case.expected.model_dump(exclude_none=True), f"{label}: expects nothing"


@pytest.mark.parametrize("lever", LEVERS)
def test_every_lever_is_tested_on_both_sides_of_its_start(lever: str):
    """For each lever: a case on the day before a period's ``from`` and a case on ``from`` itself."""
    offsets = set()
    for _, case in CASES:
        for period in case.rules.get(lever, []):
            start = RULES[lever].model_validate(period).from_
            offsets |= {(d - start).days for d in (case.date, case.filed) if d is not None}
    assert {-1, 0} <= offsets, f"{lever}: cases on the day before and on the start date expected"


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[label for label, _ in CASES])
def test_lever_case(case: Case):
    policy = _policy(case)
    day = policy.day(case.date)
    filed = policy.day(case.filed or case.date)
    assert filed <= day, "an application is decided on or after its filing day"
    at = policy.at(day)
    exp, draws = case.expected, case.draws

    if exp.nareis_verdict is not None:
        v = nareis_verdict(_sponsor(case, day), _member(case), filed, at, draws.u_detect, draws.u_grant)
        _check_verdict(v, exp.nareis_verdict)
    if exp.art8_verdict is not None:
        assert case.art8_grant_share is not None, "an Art. 8 verdict needs the year's art8_grant_share"
        v = art8_verdict(_sponsor(case, day), _member(case), filed, at, draws.u_grant, case.art8_grant_share)
        _check_verdict(v, exp.art8_verdict)
    if exp.banned is not None:
        assert (stacking_ban(_sponsor(case, day), at) is not None) is exp.banned
    if exp.displaced is not None:
        # Displacement is asked only of a sponsor the ban reaches on the filing day.
        ban = stacking_ban(_sponsor(case, day), policy.at(filed))
        assert (ban is not None and displaced_to_art8(ban, draws.u_displace)) is exp.displaced
    if exp.cap is not None:
        assert monthly_cap(at, "arrivals") == exp.cap.arrivals
        assert monthly_cap(at, "grants") == exp.cap.grants
    if exp.capacity is not None:
        route = ROUTES.index(exp.capacity.route)
        assert decisions_per_month(route, exp.capacity.base, at) == pytest.approx(exp.capacity.per_month)
    if exp.handling is not None:
        mean, extra = handling_days(ROUTES.index(exp.handling.route), at)
        assert mean == pytest.approx(exp.handling.mean_days, abs=1e-9)
        assert extra == pytest.approx(exp.handling.extra_days, abs=1e-9)
    if exp.earliest_decision is not None:
        days = earliest_decision_days(ROUTES.index(exp.earliest_decision.route), at)
        assert days == pytest.approx(exp.earliest_decision.days, abs=1e-9)
    if exp.withdrawn is not None:
        assert withdrawal_detected(_member(case).claim_holds, draws.u_withdraw, at) is exp.withdrawn
