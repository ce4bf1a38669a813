"""The engine and its records: conservation, chains, common random numbers, causality of dated rules."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from conftest import baseline, build, variant
from sim.codes import (
    ART8,
    ASYLUM,
    COHORT_OUTCOMES,
    FLOWS,
    GRANTED,
    MEASURES,
    NAREIS,
    PENDING,
    REASONS,
    REFUSED,
)
from sim.population import D, sample_people
from sim.records import classify
from sim.runner import default_as_of, parameters_for, run_replication

M = {name: i for i, name in enumerate(MEASURES)}
F = {name: i for i, name in enumerate(FLOWS)}
C = {name: i for i, name in enumerate(COHORT_OUTCOMES)}
PEOPLE_FIELDS = ("kind", "adult", "parent", "relation", "depth", "married", "own_family", "first_child",
                 "n_children", "arrival_day", "u", "key")


def _years(scenario) -> np.ndarray:
    return np.asarray(scenario.run.years)


# --- conservation ------------------------------------------------------------------------------------------

def test_every_application_ends_in_exactly_one_outcome(baseline_replication):
    rep = baseline_replication
    a = rep.apps
    assert len(a) > 5000
    assert set(np.unique(a.outcome).tolist()) <= {PENDING, GRANTED, REFUSED}
    pending = a.outcome == PENDING
    assert np.array_equal(np.isnan(a.decided), pending), "decided is NaN exactly for pending applications"
    assert pending.any() and (a.outcome == GRANTED).any() and (a.outcome == REFUSED).any()
    # A reason is given for a refusal, and only for a refusal.
    assert np.all(a.reason[pending | (a.outcome == GRANTED)] == REASONS.index("none"))
    assert np.all(a.reason[a.outcome == REFUSED] >= 1)
    assert np.all(a.reason < len(REASONS))


def test_arrivals_only_for_granted_family_applications_and_times_ordered(baseline_replication):
    rep = baseline_replication
    a = rep.apps
    arrived = ~np.isnan(a.arrived)
    decided = ~np.isnan(a.decided)
    assert arrived.any()
    assert np.all(a.outcome[arrived] == GRANTED)
    assert np.all(a.route[arrived] != ASYLUM), "an asylum claimant is already in the country"
    assert np.all(a.arrived[arrived] >= a.decided[arrived])
    assert np.all(a.decided[decided] >= a.filed[decided])
    end = rep.horizon_day + 1.0
    assert np.all((a.filed >= 0) & (a.filed < end))
    assert np.all(a.decided[decided] < end)
    assert np.all(a.arrived[arrived] < end)


def test_nobody_is_applied_for_twice(baseline_replication):
    a = baseline_replication.apps
    family = a.route != ASYLUM
    assert len(np.unique(a.person[family])) == family.sum()
    asylum = a.route == ASYLUM
    assert len(np.unique(a.person[asylum])) == asylum.sum()


def test_family_applications_are_for_the_sponsors_own_potential_family(baseline_replication):
    rep = baseline_replication
    a, people = rep.apps, rep.people
    family = a.route != ASYLUM
    assert np.array_equal(people.parent[a.person[family]], a.sponsor[family])
    assert np.array_equal(people.relation[a.person[family]], a.relation[family])
    # Asylum claims are filed by the claimant for themselves.
    asylum = ~family
    assert np.array_equal(a.person[asylum], a.sponsor[asylum])


def test_records_reproduce_run_replication(baseline_scenario, baseline_replication):
    """The per-application records used in these tests are those of ``run_replication``."""
    rep = baseline_replication
    out = run_replication(baseline_scenario, 0, default_as_of(baseline_scenario))
    a = rep.apps
    assert out.applications == len(a)
    flow = classify(a)
    filed_year = np.searchsorted(rep.year_starts, a.filed, side="right") - 1
    counts = np.zeros((len(rep.year_starts) - 1, len(FLOWS)), dtype=np.int64)
    np.add.at(counts, (filed_year, flow), 1)
    assert np.array_equal(counts, out.yearly[:, :, M["applications"]])


def test_per_flow_applications_equal_grants_refusals_and_pending(baseline_scenario):
    s = baseline_scenario
    as_of = (dt.date(2023, 12, 31), s.run.horizon)
    out = run_replication(s, 1, as_of)
    y, c = out.yearly, out.cohorts
    horizon = c[1]
    # Cohort view on the horizon: every application of every year and flow is in exactly one outcome.
    outcomes = horizon[..., C["grants"]] + horizon[..., C["refusals"]] + horizon[..., C["pending"]]
    assert np.array_equal(horizon[..., C["applications"]], outcomes)
    # The cohort view and the yearly counts are two aggregations of the same records; their totals agree.
    assert np.array_equal(y[:, :, M["applications"]].sum(0), horizon[..., C["applications"]].sum(0))
    assert np.array_equal(y[:, :, M["grants"]].sum(0), horizon[..., C["grants"]].sum(0))
    assert np.array_equal(y[:, :, M["refusals"]].sum(0), horizon[..., C["refusals"]].sum(0))
    assert np.array_equal(y[-1, :, M["pending"]], horizon[..., C["pending"]].sum(0))
    # Yearly cumulative counts: applications so far = decisions so far + pending on 31 December.
    cum = np.cumsum(y, axis=0)
    assert np.array_equal(cum[:, :, M["applications"]],
                          cum[:, :, M["grants"]] + cum[:, :, M["refusals"]] + y[:, :, M["pending"]])
    assert np.all(y[:, :, M["pending"]] >= 0)
    # Arrivals follow grants: never more arrivals than grants so far; no arrivals for asylum claims.
    assert np.all(cum[:, :, M["arrivals"]] <= cum[:, :, M["grants"]])
    assert np.all(y[:, [F["asylum_first"], F["asylum_family"]], M["arrivals"]] == 0)
    # Every flow has applications over the run.
    assert np.all(y[:, :, M["applications"]].sum(0) > 0)
    # Cohort view on 2023-12-31: the application years up to 2023 are complete in number; later decisions
    # only move applications out of pending.
    early = _years(s) <= 2023
    c23 = c[0][early]
    assert np.array_equal(c23[..., C["applications"]], horizon[early][..., C["applications"]])
    assert np.all(c23[..., C["grants"]] <= horizon[early][..., C["grants"]])
    assert np.all(c23[..., C["pending"]] >= horizon[early][..., C["pending"]])
    assert np.all(c[0][~early] == 0)


# --- chains ------------------------------------------------------------------------------------------------

def test_generations_grow_by_one_along_every_chain(baseline_replication):
    a = baseline_replication.apps
    family = np.flatnonzero(a.route != ASYLUM)
    arrived = ~np.isnan(a.arrived)
    # The application through which each person arrived (at most one per person).
    came_by = {int(p): i for i, p in enumerate(a.person) if arrived[i]}
    stacked = [i for i in family if a.sponsor_generation[i] >= 1]
    assert len(stacked) > 20, "the baseline must produce stacked applications at this scale"
    for i in stacked:
        s = int(a.sponsor[i])
        assert s in came_by, f"stacked sponsor {s} never arrived"
        j = came_by[s]
        assert a.sponsor_generation[j] == a.sponsor_generation[i] - 1
        assert a.arrived[j] <= a.filed[i], "a sponsor files only after arriving"
        assert a.route[j] == a.sponsor_entry[i], "sponsor_entry is the route the sponsor came by"
    # First-generation sponsors came as asylum seekers whose claim was granted before they filed.
    asylum_granted = {int(a.person[i]): a.decided[i] for i in np.flatnonzero((a.route == ASYLUM) &
                                                                           (a.outcome == GRANTED))}
    for i in family:
        if a.sponsor_generation[i] == 0:
            s = int(a.sponsor[i])
            assert s in asylum_granted
            assert asylum_granted[s] <= a.filed[i]


def test_nareis_needs_an_independent_asylum_permit(baseline_replication):
    a = baseline_replication.apps
    granted_asylum = {int(a.person[i]): a.decided[i]
                      for i in np.flatnonzero((a.route == ASYLUM) & (a.outcome == GRANTED))}
    nareis = np.flatnonzero(a.route == NAREIS)
    assert len(nareis) > 100
    for i in nareis:
        s = int(a.sponsor[i])
        assert s in granted_asylum and granted_asylum[s] <= a.filed[i]
        assert a.sponsor_status[i] != 0


# --- own asylum claims switched off ------------------------------------------------------------------------

def test_no_own_asylum_claims_means_no_stacked_nareis():
    base = baseline(0.03)
    no_claims = {"own_asylum_prob_with_family": 0.0, "own_asylum_prob_base": 0.0}
    off = variant(base, parameters=no_claims)
    assert off.parameters == no_claims
    zero = [F["asylum_family"], F["nareis_on_nareis"], F["nareis_after_art8"], F["amv_sibling_nareis"]]
    for r in range(2):
        out = run_replication(off, r, default_as_of(off))
        assert np.all(out.yearly[:, zero, :] == 0)
        assert np.all(out.breakdown[:, zero] == 0)
        assert np.all(out.cohorts[:, :, zero, :] == 0)
        # The other stacked flows still exist: family migrants apply under Art. 8 ECHR.
        assert out.yearly[:, F["art8_after_nareis"], M["applications"]].sum() > 0
    # Control: with the baseline parameters these flows are not empty.
    out = run_replication(base, 0, default_as_of(base))
    assert out.yearly[:, F["asylum_family"], M["applications"]].sum() > 0
    assert out.yearly[:, F["nareis_on_nareis"], M["applications"]].sum() > 0


def test_every_personal_draw_is_declared_on_the_model_state():
    """The engine reads each personal draw as an attribute ``u_<name>``; each is declared (for the type checker)."""
    from sim.engine import ModelState
    from sim.population import DRAWS

    declared = {name[2:] for name in ModelState.__annotations__ if name.startswith("u_")}
    assert declared == set(DRAWS)


# --- common random numbers ---------------------------------------------------------------------------------

def _assert_same_people(a, b, upto: int | None = None):
    sl = slice(None, upto)
    for name in PEOPLE_FIELDS:
        x, y = getattr(a, name)[sl], getattr(b, name)[sl]
        assert np.array_equal(x, y, equal_nan=np.issubdtype(x.dtype, np.floating)), name


@pytest.mark.parametrize("change", [
    {"nuclear_family_only": []},
    {"b_status_waiting_period": []},
    {"stacked_spouse_regular_route": [], "covid_disruption": []},
])
def test_rules_do_not_change_who_arrives_or_their_families(change):
    base = baseline(0.03)
    other = variant(base, rules=change)
    assert other.digest() != base.digest()
    run = base.run
    horizon_day = float((run.horizon - run.start).days)
    for r in (0, 1):
        pa = sample_people(parameters_for(base), run.start, horizon_day, run.scale, run.seed, r)
        pb = sample_people(parameters_for(other), run.start, horizon_day, run.scale, run.seed, r)
        _assert_same_people(pa, pb)
    oa = run_replication(base, 0, default_as_of(base))
    ob = run_replication(other, 0, default_as_of(other))
    assert np.array_equal(oa.yearly[:, F["asylum_first"], M["applications"]],
                          ob.yearly[:, F["asylum_first"], M["applications"]])
    assert not np.array_equal(oa.yearly, ob.yearly), "the rule change must change some outcome"


def test_high_inflow_leaves_the_2014_2025_population_identical():
    mid = baseline(0.03)
    high = variant(mid, projection="high")
    run = mid.run
    horizon_day = float((run.horizon - run.start).days)
    pm = sample_people(parameters_for(mid), run.start, horizon_day, run.scale, run.seed, 0)
    ph = sample_people(parameters_for(high), run.start, horizon_day, run.scale, run.seed, 0)
    day_2026 = float((dt.date(2026, 1, 1) - run.start).days)

    def cut(p) -> int:  # blocks are in year order; a year's block opens with its first asylum applicants
        return int(np.flatnonzero((p.depth == 0) & (p.arrival_day >= day_2026))[0])

    assert cut(pm) == cut(ph)
    _assert_same_people(pm, ph, cut(pm))
    # And the projection does change the later years.
    later_m = ((pm.depth == 0) & (pm.arrival_day >= day_2026)).sum()
    later_h = ((ph.depth == 0) & (ph.arrival_day >= day_2026)).sum()
    assert later_h > 1.3 * later_m


@pytest.mark.parametrize("name, step", [
    ("adult_partner_abroad_prob", 0.02),
    ("amv_adult_siblings_mean", 0.05),
    ("separated_parent_prob", 0.05),
    ("young_adult_own_family_share", 0.05),
])
def test_a_tree_parameter_keeps_everyone_else_and_their_draws(name, step):
    """Common random numbers across parameter values: a larger tree adds relatives and re-draws nobody."""
    base = baseline(0.03)
    more = variant(base, parameters={name: parameters_for(base).model[name] + step})
    run = base.run
    horizon_day = float((run.horizon - run.start).days)
    a = sample_people(parameters_for(base), run.start, horizon_day, run.scale, run.seed, 0)
    b = sample_people(parameters_for(more), run.start, horizon_day, run.scale, run.seed, 0)
    assert len(np.unique(a.key)) == len(a) and len(np.unique(b.key)) == len(b)
    common, ia, ib = np.intersect1d(a.key, b.key, assume_unique=True, return_indices=True)
    added = len(b) - len(common)
    assert added > 0, "a larger mean must add relatives"
    # Means only grow here, so (counts being monotone in their mean) nobody disappears ...
    assert len(common) == len(a)
    # ... and everyone keeps who they are and every draw.
    for field in ("kind", "adult", "relation", "depth", "married", "u"):
        assert np.array_equal(getattr(a, field)[ia], getattr(b, field)[ib]), field
    assert np.array_equal(a.key[a.parent[ia[a.parent[ia] >= 0]]], b.key[b.parent[ib[b.parent[ib] >= 0]]])
    # The change is small: fewer than 5% more persons.
    assert added < 0.05 * len(a)


def test_same_replication_is_deterministic_and_replications_differ(baseline_scenario):
    s = baseline_scenario
    a = run_replication(s, 2, default_as_of(s))
    b = run_replication(s, 2, default_as_of(s))
    c = run_replication(s, 3, default_as_of(s))
    assert np.array_equal(a.yearly, b.yearly) and np.array_equal(a.cohorts, b.cohorts)
    assert np.array_equal(a.breakdown, b.breakdown) and a.events == b.events
    assert not np.array_equal(a.yearly, c.yearly)


# --- volumes -----------------------------------------------------------------------------------------------

def test_every_flow_has_volume_in_2019_2023():
    s = baseline(0.05)
    years = _years(s)
    window = (years >= 2019) & (years <= 2023)
    total = sum(run_replication(s, r, default_as_of(s)).yearly[window].sum(0) for r in range(3))
    for f, flow in enumerate(FLOWS):
        assert total[f, M["applications"]] > 0, f"{flow}: no applications in 2019-2023"
        assert total[f, M["grants"]] + total[f, M["refusals"]] > 0, f"{flow}: no decisions in 2019-2023"
        if flow not in ("asylum_first", "asylum_family"):
            assert total[f, M["arrivals"]] > 0, f"{flow}: no arrivals in 2019-2023"


# --- rules act only from their date ------------------------------------------------------------------------

def test_a_rule_before_its_effective_date_changes_nothing():
    base = baseline(0.03)
    later = variant(base, rules={"nuclear_family_only": [{"from": "2030-01-01",
                                                          "scope": "filing_and_pending"}]})
    years = _years(base)
    before = years < 2026
    as_of = (dt.date(2023, 12, 31), base.run.horizon)
    for r in (0, 1):
        a = run_replication(base, r, as_of)
        b = run_replication(later, r, as_of)
        assert np.array_equal(a.yearly[before], b.yearly[before])
        assert np.array_equal(a.breakdown[before], b.breakdown[before])
        assert np.array_equal(a.cohorts[0], b.cohorts[0])  # the view on 2023-12-31
        # Control: between 2026-06-12 and 2030 the two scenarios differ.
        window = (years >= 2026) & (years < 2030)
        assert not np.array_equal(a.yearly[window], b.yearly[window])


# --- personal draws ----------------------------------------------------------------------------------------

def test_covid_filing_postponement_uses_the_disrupt_draw_on_both_routes():
    """Whether COVID-19 postpones a sponsor's filing is the sponsor's ``disrupt`` draw (sim.population.DRAWS:
    "whether disruptions (COVID-19, visa hold) touch them"), for nareis as for Art. 8 filings. The
    ``conditions`` draw is reserved for the 2026 income and housing conditions; reusing it would make exactly
    the sponsors postponed in 2020 pass those conditions later.
    """
    from sim.population import D

    # Half scale up to the end of 2020: Art. 8 filings postponed by COVID-19 are few (about 20 at full size).
    s = baseline(0.5, horizon=dt.date(2020, 12, 31))
    rep = build(s, 0)
    a, u = rep.apps, rep.people.u
    covid = s.rules.covid_disruption[0]
    end = rep.day(covid.until) + 1.0
    share = covid.filing_blocked_share
    for route in (NAREIS, ART8):
        postponed = np.unique(a.sponsor[(a.filed == end) & (a.route == route)])
        assert len(postponed) > 0, f"no {route} filing was postponed to the end of the COVID-19 period"
        assert np.all(u[postponed, D["disrupt"]] < share), \
            f"route {route}: postponed sponsors are not those whose disrupt draw is below the blocked share"


# --- the engine's use of the queue and its shortcuts -------------------------------------------------------

def test_every_queue_receives_cases_in_order_of_filing(monkeypatch):
    """``DecisionQueue`` requires submissions in order of filing day (its FIFO and schedule rely on it)."""
    import sim.queue

    seen: dict[int, list[float]] = {}
    original = sim.queue.DecisionQueue.submit

    def recording(self, filed, work, ahead=False):  # type: ignore[no-untyped-def]
        seen.setdefault(id(self), []).append(filed)
        return original(self, filed, work, ahead)

    monkeypatch.setattr(sim.queue.DecisionQueue, "submit", recording)
    build(baseline(0.05), 0)
    assert len(seen) == 3
    for filed in seen.values():
        backwards = np.diff(np.asarray(filed)) < 0
        assert not backwards.any(), (f"{backwards.sum()} of {len(filed)} cases were submitted after a case "
                                     f"filed later")


def test_lowest_member_draw_shortcut(baseline_scenario):
    """The engine skips sponsors whose family's lowest ``apply`` draw is above every propensity; check the
    lowest draw it uses against a plain loop."""
    from sim.engine import Model
    from sim.population import D, month_starts
    from sim.rules import Policy

    s = baseline_scenario
    params = parameters_for(s)
    horizon_day = float((s.run.horizon - s.run.start).days)
    people = sample_people(params, s.run.start, horizon_day, s.run.scale, s.run.seed, 0)
    months = month_starts(s.run.start, params.years)
    model = Model(people, params, Policy(s.rule_periods(), params.model, s.run.start), s.run.scale, months,
                  months[::12], horizon_day)
    u = people.u[:, D["apply"]]
    rng = np.random.default_rng(0)
    with_family = np.flatnonzero(people.n_children > 0)
    assert len(with_family) > 1000
    sample = rng.choice(with_family, 3000, replace=False).tolist() + rng.choice(len(people), 500).tolist()
    for p in sample + [int(with_family[-1]), len(people) - 1]:
        n = people.n_children[p]
        expected = float(u[people.first_child[p]: people.first_child[p] + n].min()) if n else 1.0
        assert model.lowest_apply[p] == pytest.approx(expected)


# --- investigation of stacked applications ------------------------------------------------------------------

def test_investigation_delays_stacked_decisions_only():
    """With common random numbers, a longer investigation of stacked applications postpones their decisions
    and leaves first-order family applications as they were."""
    short = build(variant(baseline(0.03), parameters={"stacked_investigation_mean_days": 0.0}))
    long = build(variant(baseline(0.03), parameters={"stacked_investigation_mean_days": 400.0}))

    def waits(rep, stacked: bool) -> np.ndarray:
        a = rep.apps
        family = (a.route != 0) & ((a.sponsor_generation >= 1) == stacked)
        return a.decided[family] - a.filed[family]

    first_short, first_long = waits(short, False), waits(long, False)
    # First-order cases are filed by the same people; the queues they share with stacked cases may shift a little.
    assert abs(np.nanmedian(first_long) - np.nanmedian(first_short)) < 30
    stacked_short, stacked_long = waits(short, True), waits(long, True)
    assert np.nanmean(stacked_long) - np.nanmean(stacked_short) > 200
    # and more stacked applications are still open on the horizon
    assert np.isnan(long.apps.decided[long.apps.sponsor_generation >= 1]).sum() > \
        np.isnan(short.apps.decided[short.apps.sponsor_generation >= 1]).sum()


# --- nareis cases decided within their term, ahead of the queue ---------------------------------------------

def test_in_term_cases_are_decided_after_their_own_handling_time():
    """With ``nareis_in_term_share`` 1 every nareis case is decided exactly its handling time after filing (the
    sum of its members' service draws), whatever the backlog; with 0 the backlog makes them wait. The nareis
    capacity of 2016-2017 is set low so that there is a backlog whatever the calibration."""
    params = {"stacked_investigation_mean_days": 0.0, "capacity_nareis[2016]": 300.0, "capacity_nareis[2017]": 300.0}
    fifo = build(variant(baseline(0.03), parameters={**params, "nareis_in_term_share": 0.0}))
    term = build(variant(baseline(0.03), parameters={**params, "nareis_in_term_share": 1.0}))
    a = term.apps
    nareis = (a.route == NAREIS) & ~np.isnan(a.decided)
    june_2026 = term.day(dt.date(2026, 6, 12))  # the baseline's rules from then on hold or refuse pending cases
    mean = term.params.model["nareis_service_mean_days"]
    work = -mean * np.log1p(-term.people.u[a.person, D["service"]].astype(float))
    cases: dict[tuple[int, float], list[int]] = {}
    for i in np.flatnonzero(nareis):
        cases.setdefault((int(a.sponsor[i]), float(a.filed[i])), []).append(i)
    cases = {k: idx for k, idx in cases.items() if k[1] + work[idx].sum() < june_2026}
    assert len(cases) > 100
    for idx in cases.values():
        assert a.decided[idx] - a.filed[idx] == pytest.approx(np.full(len(idx), work[idx].sum()), abs=1e-6)

    def median_wait(rep, year: int) -> float:
        x = rep.apps
        filed = (x.route == NAREIS) & (x.filed >= rep.day(dt.date(year, 1, 1))) & \
            (x.filed < rep.day(dt.date(year + 1, 1, 1)))
        return float(np.nanmedian(x.decided[filed] - x.filed[filed]))

    assert median_wait(fifo, 2017) > 2 * median_wait(term, 2017)
