"""Invariants that hold for every valid scenario, checked on randomly generated ones (Hypothesis).

A scenario is built as plain data, the way a scenario file would hold it: the baseline's rules on or off, random
dated periods of any rule in :data:`sim.rules.RULES` with values inside the ranges its period model allows,
random overrides of model parameters inside their ranges (``model.yaml``) and a random inflow projection. It is
validated both as a model and as an uploaded file, then one replication is run at a tiny scale and its records
and counts are checked:

- every application ends in exactly one outcome (pending if and only if it has no decision day);
- no count is negative in the yearly, breakdown or cohort arrays;
- arrivals never exceed grants (per flow, cumulatively over the years; per record, only granted persons arrive);
- nobody arrives before being granted, nor is decided before filing;
- generations only grow along a chain of sponsors;
- with no first asylum inflow at all, every count is zero.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from typing import Any

import annotated_types
import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BASELINE, Replication, build
from sim.codes import ASYLUM, FLOWS, GRANTED, MEASURES, PENDING, REFUSED
from sim.engine import Model
from sim.parameters import load_model_parameters
from sim.population import month_starts, sample_people
from sim.records import Aggregates, aggregate, classify
from sim.rules import RULES, Policy
from sim.runner import default_as_of, parameters_for
from sim.scenario import Scenario

M = {name: i for i, name in enumerate(MEASURES)}
F = {name: i for i, name in enumerate(FLOWS)}
START = dt.date(2014, 1, 1)
HORIZON = dt.date(2030, 12, 31)
FIRST_RULE_DAY = dt.date(2015, 1, 1)
LAST_RULE_DAY = dt.date(2035, 12, 31)
BASELINE_DATA = Scenario.from_yaml(BASELINE).to_dict()

# Few, slow examples; the same ones on every run (derandomized, no example database).
SETTINGS = settings(max_examples=15, deadline=None, derandomize=True, database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- strategies ---------------------------------------------------------------------------------------------

def _bounds(metadata: list[Any]) -> tuple[float, float, bool, bool]:
    lo, hi, open_lo, open_hi = -1e9, 1e9, False, False
    for m in metadata:
        if isinstance(m, annotated_types.Ge):
            lo = float(m.ge)
        elif isinstance(m, annotated_types.Gt):
            lo, open_lo = float(m.gt), True
        elif isinstance(m, annotated_types.Le):
            hi = float(m.le)
        elif isinstance(m, annotated_types.Lt):
            hi, open_hi = float(m.lt), True
    return lo, hi, open_lo, open_hi


def _value_strategy(annotation: Any, metadata: list[Any]) -> st.SearchStrategy[Any]:
    """Values of one field of a rule's period model, inside the bounds the model declares."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        assert len(inner) == 1, annotation
        return st.one_of(st.none(), _value_strategy(inner[0], metadata))
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin is list:
        (item,) = args
        min_size = next((m.min_length for m in metadata if isinstance(m, annotated_types.MinLen)), 0)
        assert typing.get_origin(item) is typing.Literal, annotation
        return st.lists(st.sampled_from(typing.get_args(item)), min_size=min_size, unique=True)
    if annotation is bool:
        return st.booleans()
    if annotation is float:
        lo, hi, open_lo, open_hi = _bounds(metadata)
        return st.floats(lo, hi, exclude_min=open_lo, exclude_max=open_hi, allow_nan=False,
                         allow_infinity=False, allow_subnormal=False)
    if annotation is dt.date:
        return st.dates(FIRST_RULE_DAY, LAST_RULE_DAY)
    raise AssertionError(f"no strategy for a rule field of type {annotation!r}: extend _value_strategy")


@st.composite
def _period_values(draw: st.DrawFn, name: str) -> dict[str, Any]:
    """The rule-specific values of one period of rule ``name``: required fields always, optional ones sometimes.

    A combination the period model refuses (e.g. a stacking ban over Art. 8 without its grant probability) is
    drawn again.
    """
    model = RULES[name]
    for _ in range(20):
        values: dict[str, Any] = {}
        for field, info in model.model_fields.items():
            if field in ("from_", "until"):
                continue
            if info.is_required() or draw(st.booleans()):
                values[field] = draw(_value_strategy(info.annotation, info.metadata))
        try:
            model.model_validate({"from": FIRST_RULE_DAY, **values})
        except ValueError:
            continue
        return values
    raise AssertionError(f"could not draw a valid period of {name}")


@st.composite
def _periods(draw: st.DrawFn, name: str) -> list[dict[str, Any]]:
    """One or two non-overlapping periods of rule ``name``, starting between 2015 and the horizon."""
    n = draw(st.integers(1, 2))
    days = sorted(draw(st.lists(st.dates(FIRST_RULE_DAY, HORIZON), min_size=2 * n, max_size=2 * n,
                                unique=True)))
    periods = []
    for i in range(n):
        start, end = days[2 * i], days[2 * i + 1]
        last = i == n - 1
        until = draw(st.one_of(st.none(), st.dates(start, LAST_RULE_DAY))) if last else end
        period = {"from": start, **draw(_period_values(name))}
        if until is not None:
            period["until"] = until
        periods.append(period)
    return periods


def _parameter_strategy() -> st.SearchStrategy[dict[str, float]]:
    known = load_model_parameters()
    values = {name: st.floats(p.min, p.max, allow_nan=False, allow_subnormal=False)
              for name, p in known.items()}
    return st.lists(st.sampled_from(sorted(known)), max_size=4, unique=True).flatmap(
        lambda names: st.fixed_dictionaries({n: values[n] for n in names}))


@st.composite
def valid_scenarios(draw: st.DrawFn, required_rule: str | None = None) -> Scenario:
    """A valid scenario; with ``required_rule``, one that has random periods of that rule."""
    with_baseline_rules = draw(st.booleans())
    rules: dict[str, Any] = dict(BASELINE_DATA["rules"]) if with_baseline_rules else {}
    rules = {k: v for k, v in rules.items() if v}
    names = draw(st.lists(st.sampled_from(sorted(RULES)), max_size=4, unique=True))
    for name in ([required_rule] if required_rule else []) + [n for n in names if n != required_rule]:
        rules[name] = draw(_periods(name))
    data = {
        "name": "invariants",
        "description": "A randomly generated scenario for the invariant tests.",
        "run": {"start": START, "horizon": HORIZON, "replications": 1,
                "seed": draw(st.integers(0, 2**32)),
                "scale": draw(st.sampled_from([0.01, 0.015, 0.02]))},
        "inflow": {"projection": draw(st.sampled_from(["low", "mid", "high"]))},
        "rules": rules,
        "parameters": draw(_parameter_strategy()),
    }
    scenario = Scenario.model_validate(data)
    # Valid as a file too: the loader's own checks (rule dates within the run, parameter ranges) pass.
    from_file = Scenario.from_text(yaml.safe_dump(data, sort_keys=False), "invariants.yaml")
    assert from_file.digest() == scenario.digest()
    return scenario


# --- running and checking -----------------------------------------------------------------------------------

def _aggregates(rep: Replication) -> Aggregates:
    run = rep.scenario.run
    as_of_ends = [float((d - run.start).days) + 1.0 for d in default_as_of(rep.scenario)]
    return aggregate(rep.apps, rep.year_starts, as_of_ends)


def check_outcomes(rep: Replication) -> None:
    a = rep.apps
    assert set(np.unique(a.outcome).tolist()) <= {PENDING, GRANTED, REFUSED}
    pending = np.isnan(a.decided)
    assert np.array_equal(pending, a.outcome == PENDING), "pending exactly when there is no decision day"
    assert np.all(np.isin(a.outcome[~pending], [GRANTED, REFUSED]))
    assert not np.isnan(a.filed).any(), "every application has a filing day"


def check_no_negative_counts(agg: Aggregates) -> None:
    for name in ("yearly", "breakdown", "cohorts"):
        values = getattr(agg, name)
        assert values.min(initial=0) >= 0, f"negative count in {name}"


def check_arrivals_within_grants(rep: Replication, agg: Aggregates) -> None:
    a = rep.apps
    arrived = ~np.isnan(a.arrived)
    assert np.all(a.outcome[arrived] == GRANTED), "only a granted person arrives"
    assert np.all(a.route[arrived] != ASYLUM), "an asylum claimant is already here"
    grants = np.cumsum(agg.yearly[:, :, M["grants"]], axis=0)
    arrivals = np.cumsum(agg.yearly[:, :, M["arrivals"]], axis=0)
    over = np.argwhere(arrivals > grants)
    assert not len(over), f"arrivals exceed grants up to (year index, flow) {over[:3].tolist()}"
    # The same per relation and status.
    grants_b = np.cumsum(agg.breakdown[:, :, M["grants"]], axis=0)
    arrivals_b = np.cumsum(agg.breakdown[:, :, M["arrivals"]], axis=0)
    assert np.all(arrivals_b <= grants_b)


def check_time_order(rep: Replication) -> None:
    a = rep.apps
    end = rep.horizon_day + 1.0
    decided, arrived = ~np.isnan(a.decided), ~np.isnan(a.arrived)
    assert np.all(a.filed >= 0) and np.all(a.filed < end)
    assert np.all(a.decided[decided] >= a.filed[decided]), "decided before filed"
    assert np.all(a.decided[decided] < end)
    assert np.all(a.arrived[arrived] >= a.decided[arrived]), "arrived before granted"
    assert np.all(a.arrived[arrived] < end)


def check_generations(rep: Replication) -> None:
    """A sponsor of generation g >= 1 arrived on an application whose sponsor was of generation g - 1, by the
    route recorded as the sponsor's entry, before filing; a sponsor of generation 0 is a first asylum claimant
    who was granted before filing."""
    a = rep.apps
    arrived = np.flatnonzero(~np.isnan(a.arrived))
    persons, counts = np.unique(a.person[arrived], return_counts=True)
    assert np.all(counts == 1), "a person arrives at most once"
    arrival_of = dict(zip(a.person[arrived].tolist(), arrived.tolist(), strict=True))
    first_claims = np.flatnonzero((a.route == ASYLUM) & (a.sponsor_generation == 0))
    first_claim_of = dict(zip(a.person[first_claims].tolist(), first_claims.tolist(), strict=False))
    assert len(first_claim_of) == len(first_claims), "one first asylum claim per newcomer"
    flows = classify(a)
    for i in range(len(a)):
        s, g = int(a.sponsor[i]), int(a.sponsor_generation[i])
        if a.route[i] == ASYLUM:
            assert a.person[i] == s, "an asylum claim is the claimant's own"
            if g == 0:
                assert flows[i] == F["asylum_first"]
                continue
            assert flows[i] == F["asylum_family"]
        if g == 0:
            assert s not in arrival_of, f"application {i}: a generation-0 sponsor arrived as a family member"
            claim = first_claim_of.get(s)
            assert claim is not None, f"application {i}: a generation-0 sponsor without a first asylum claim"
            assert a.outcome[claim] == GRANTED and a.decided[claim] <= a.filed[i], (
                f"application {i}: filed for by a newcomer not (yet) granted asylum")
            continue
        came = arrival_of.get(s)
        assert came is not None, f"application {i}: sponsor {s} of generation {g} never arrived"
        assert a.sponsor_generation[came] == g - 1, (
            f"application {i}: sponsor of generation {g} came through generation {a.sponsor_generation[came]}")
        assert a.route[came] == a.sponsor_entry[i], f"application {i}: entry route differs from arrival route"
        assert a.arrived[came] <= a.filed[i], f"application {i}: filed before the sponsor arrived"


def check_cohorts_add_up(agg: Aggregates) -> None:
    c = agg.cohorts
    assert np.array_equal(c[..., 0], c[..., 1] + c[..., 2] + c[..., 3])


def check_all(rep: Replication) -> None:
    agg = _aggregates(rep)
    check_outcomes(rep)
    check_no_negative_counts(agg)
    check_arrivals_within_grants(rep, agg)
    check_time_order(rep)
    check_generations(rep)
    check_cohorts_add_up(agg)


# --- tests --------------------------------------------------------------------------------------------------

@SETTINGS
@given(scenario=valid_scenarios())
def test_invariants_hold_for_random_valid_scenarios(scenario: Scenario) -> None:
    rep = build(scenario)
    assert len(rep.people) > 0
    check_all(rep)


@pytest.mark.parametrize("rule", sorted(RULES))
@settings(SETTINGS, max_examples=3)
@given(data=st.data())
def test_invariants_hold_with_every_rule(rule: str, data: st.DataObject) -> None:
    """Each rule of the registry in at least a few random scenarios (the scenario test above may miss some)."""
    scenario = data.draw(valid_scenarios(required_rule=rule))
    assert rule in scenario.rule_periods()
    check_all(build(scenario))


@pytest.mark.parametrize("name", ["baseline", "stacking_ban_all", "cap_200_per_month", "withdrawal_enforcement",
                                  "decision_term_9_months", "stricter_interviews"])
def test_invariants_hold_for_shipped_scenarios(name: str) -> None:
    scenario = Scenario.from_yaml(BASELINE.parent / f"{name}.yaml").with_run(scale=0.02, horizon=HORIZON)
    rep = build(scenario)
    assert (~np.isnan(rep.apps.arrived)).sum() > 0
    check_all(rep)


def test_every_rule_field_has_a_strategy() -> None:
    """A rule added to the registry is covered by the generator, or this test says which field is not."""
    for model in RULES.values():
        for field, info in model.model_fields.items():
            if field not in ("from_", "until"):
                _value_strategy(info.annotation, info.metadata)


@pytest.mark.parametrize("projection", ["low", "high"])
def test_zero_inflow_gives_zero_everywhere(projection: str) -> None:
    """No first asylum claims: nobody to sponsor anyone, so every count is exactly zero.

    Scenarios have no inflow-off switch and no model parameter scales the inflow, so the resolved parameters'
    first asylum series is set to zero and the engine run as ``sim.runner.run_replication`` does.
    """
    data = {**BASELINE_DATA, "inflow": {"projection": projection}}
    scenario = Scenario.model_validate(data).with_run(scale=1.0, horizon=HORIZON)
    run = scenario.run
    params = parameters_for(scenario)
    params = dataclasses.replace(params, first_asylum=np.zeros_like(params.first_asylum))
    policy = Policy(scenario.rule_periods(), params.model, run.start)
    horizon_day = float((run.horizon - run.start).days)
    months = month_starts(run.start, params.years)
    people = sample_people(params, run.start, horizon_day, run.scale, run.seed, 0)
    assert len(people) == 0
    result = Model(people, params, policy, run.scale, months, months[::12], horizon_day).run()
    assert len(result.applications) == 0
    as_of_ends = [float((d - run.start).days) + 1.0 for d in default_as_of(scenario)]
    agg = aggregate(result.applications, months[::12], as_of_ends)
    assert agg.yearly.shape == (len(run.years), len(FLOWS), len(MEASURES))
    for name in ("yearly", "breakdown", "cohorts"):
        values = getattr(agg, name)
        assert values.size > 0 and not values.any(), f"{name} is not all zero"
