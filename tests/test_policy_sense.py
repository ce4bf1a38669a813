"""Policy sense: each lever moves the cumulative totals the way its rule says, in paired runs.

Every comparison runs the shipped scenario and the shipped baseline with the same seed and replications, so
replication ``r`` of both shares every person and every draw (common random numbers) and a difference is what
the rule changes, not noise. Runs are small to keep the file fast: scale 0.1 with 4 replications, and scale 0.05
for the checks of exact equality and the CLI check. Each test states its tolerance. Record-level checks rebuild
the model as ``sim.runner.run_replication`` does and read the application records.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from sim.cli import main as cli_main
from sim.codes import FLOWS, GRANTED, MEASURES, NAREIS
from sim.records import Applications, classify
from sim.runner import RunResult, run_scenario, simulate
from sim.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
SCALE, REPLICATIONS, WORKERS = 0.1, 4, 2
EXACT_SCALE = 0.05  # for the checks of exact equality, which do not need volume
RECORD_REPLICATIONS = (0, 1)  # replications rebuilt at record level
LEVER_START = dt.date(2027, 1, 1)
FIRST, LAST = 2027, 2035  # the years the headline totals cover


def scenario(name: str, scale: float = SCALE) -> Scenario:
    return Scenario.from_yaml(SCENARIOS / f"{name}.yaml").with_run(scale=scale, replications=REPLICATIONS)


@cache
def run(name: str, scale: float = SCALE) -> RunResult:
    """All replications of a shipped scenario (real-size yearly values), run once per test session."""
    return run_scenario(scenario(name, scale), workers=WORKERS)


def totals(result: RunResult, flows: tuple[str, ...], measure: str = "applications", first: int = FIRST,
           last: int = LAST) -> np.ndarray:
    """Per-replication totals over ``first..last`` of the given flows (real size)."""
    years = np.asarray(result.years)
    mask = (years >= first) & (years <= last)
    f = [FLOWS.index(x) for x in flows]
    return result.yearly[:, mask][:, :, f, MEASURES.index(measure)].sum(axis=(1, 2))


class Records:
    """One replication's application records, with the day numbers needed to read them."""

    def __init__(self, sc: Scenario, replication: int) -> None:
        sim = simulate(sc, replication)
        self.origin = sc.run.start
        self.horizon_day = sim.horizon_day
        self.months = sim.months
        self.apps: Applications = sim.result.applications
        self.flow = classify(self.apps)

    def day(self, date: dt.date) -> float:
        return float((date - self.origin).days)

    def in_flows(self, *names: str) -> np.ndarray:
        return np.isin(self.flow, [FLOWS.index(n) for n in names])


@cache
def records(name: str, replication: int) -> Records:
    return Records(scenario(name), replication)


# --- stricter interviews ---------------------------------------------------------------------------------------

def test_stricter_interviews_do_not_raise_nareis_on_nareis():
    """Detecting more claims that do not hold in the first procedure cannot add nareis-on-nareis applications.

    Tolerance: none on the mean of the paired per-replication totals 2027-2035 (scenario mean <= baseline mean).
    """
    base = totals(run("baseline"), ("nareis_on_nareis",))
    lever = totals(run("stricter_interviews"), ("nareis_on_nareis",))
    assert base.sum() > 0, "the baseline has nareis-on-nareis applications to reduce"
    assert lever.mean() <= base.mean(), f"paired differences {lever - base}"


def test_stricter_interviews_reduce_nareis_on_nareis_where_young_adults_can_still_come():
    """In the baseline the lever has little to detect: from 12 June 2026 ``nuclear_family_only`` already keeps
    young adult children (the claims that do not hold) out of nareis. With the pre-2026 circle
    (``pre_2026_rules`` plus the same stricter interviews) the lever acts: nareis-on-nareis applications
    2027-2035 are lower in every replication. Tolerance: none (strictly lower, paired)."""
    base = scenario("pre_2026_rules")
    data = base.to_dict()
    data["name"] = "pre_2026_rules_stricter_interviews"
    data["rules"]["stricter_interviews"] = scenario("stricter_interviews").to_dict()["rules"]["stricter_interviews"]
    lever = Scenario.model_validate(data)
    before = totals(run_scenario(base, workers=WORKERS), ("nareis_on_nareis",))
    after = totals(run_scenario(lever, workers=WORKERS), ("nareis_on_nareis",))
    assert np.all(after < before), (before, after)


# --- stacking ban ----------------------------------------------------------------------------------------------

BANNED_FLOWS = ("nareis_on_nareis", "nareis_after_art8", "amv_sibling_nareis")


@pytest.mark.parametrize("replication", RECORD_REPLICATIONS)
def test_stacking_ban_grants_no_stacked_nareis_filed_from_its_start(replication: int):
    """No nareis application of a family migrant filed on or after 2027-01-01 is granted (or even filed:
    the ban is judged on the filing day). Tolerance: zero. The baseline has such grants, so the check has
    power."""
    rec = records("stacking_ban_nareis", replication)
    filed_after = rec.apps.filed >= rec.day(LEVER_START)
    stacked = rec.in_flows(*BANNED_FLOWS) & filed_after
    assert int((stacked & (rec.apps.outcome == GRANTED)).sum()) == 0
    assert int(stacked.sum()) == 0
    # Before the start the same sponsors were not banned.
    assert int((rec.in_flows(*BANNED_FLOWS) & ~filed_after).sum()) > 0

    base = records("baseline", replication)
    base_stacked = base.in_flows(*BANNED_FLOWS) & (base.apps.filed >= base.day(LEVER_START))
    assert int((base_stacked & (base.apps.outcome == GRANTED)).sum()) > 0


def test_stacking_ban_displaces_about_the_expected_share_to_art8():
    """Displacement: ``engine._nareis_attempt`` sends a banned sponsor's nareis members to Art. 8 ECHR with
    probability ``displacement_share`` (0.3), filed by the same sponsor, so they count as art8_after_nareis when
    the sponsor came by nareis. The expected rise of art8_after_nareis 2027-2035 is therefore about 0.3 x the
    baseline's nareis-on-nareis applications of those years (the banned volume).

    It is somewhat less in the model: the members who no longer come by nareis cannot sponsor later
    applications themselves. Tolerance: the paired mean increase lies between 0.5x and 2x the expected amount.
    Also: all nareis-on-nareis applications 2027-2035 disappear.
    """
    share = scenario("stacking_ban_nareis").rules.stacking_ban[0].displacement_share
    banned = totals(run("baseline"), ("nareis_on_nareis",))
    assert totals(run("stacking_ban_nareis"), ("nareis_on_nareis",)).sum() == 0
    rise = totals(run("stacking_ban_nareis"), ("art8_after_nareis",)) - totals(run("baseline"),
                                                                               ("art8_after_nareis",))
    expected = share * banned.mean()
    assert expected > 0
    assert 0.5 * expected <= rise.mean() <= 2.0 * expected, (rise, expected)


# --- IND capacity ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("replication", RECORD_REPLICATIONS)
def test_more_ind_capacity_does_not_lengthen_decision_times(replication: int):
    """Mean (decided - filed) of nareis-route applications filed 2027-2033 and decided by the horizon is not
    larger with 50% more capacity. Tolerance: none (paired, per replication). Applications filed up to 2033
    leave two years for decisions, so the comparison is not mostly about what the horizon cuts off."""

    def mean_days(rec: Records) -> float:
        a = rec.apps
        m = ((a.route == NAREIS) & (a.filed >= rec.day(dt.date(2027, 1, 1)))
             & (a.filed < rec.day(dt.date(2034, 1, 1))) & ~np.isnan(a.decided))
        assert m.sum() > 100
        return float((a.decided[m] - a.filed[m]).mean())

    base, lever = mean_days(records("baseline", replication)), mean_days(records("more_ind_capacity", replication))
    assert lever <= base, (lever, base)


# --- nothing changes before a rule's effective date -------------------------------------------------------------

def _levers_starting(date: dt.date) -> list[str]:
    """Shipped scenarios that are the baseline plus rules that all start on ``date``."""
    base = Scenario.from_yaml(SCENARIOS / "baseline.yaml")
    out = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        sc = Scenario.from_yaml(path)
        if sc.name == base.name or sc.inflow != base.inflow or sc.parameters != base.parameters:
            continue
        changed = {n: p for n, p in sc.rule_periods().items() if p != base.rule_periods().get(n)}
        if changed and set(base.rule_periods()) <= set(sc.rule_periods()) and all(
                min(p.from_ for p in periods) == date for periods in changed.values()):
            out.append(sc.name)
    return out


LEVERS_2027 = _levers_starting(LEVER_START)


def test_lever_scenarios_found():
    assert {"stricter_interviews", "stacking_ban_nareis", "stacking_ban_all", "cap_200_per_month",
            "more_ind_capacity", "decision_term_9_months", "withdrawal_enforcement",
            "package_2027"} <= set(LEVERS_2027)


@pytest.mark.parametrize("name", LEVERS_2027)
def test_rule_changes_nothing_before_its_effective_date(name: str):
    """Every year before 2027 is exactly equal to the baseline, for every flow and measure.

    Why 2026 is exact too: decisions of 2026 come from a FIFO queue whose server schedule only changes from
    2027 (a case's start and end are fixed by the cases before it and the servers until then); a 2026
    verdict reads the rules of its decision day; arrivals in 2026 are not moved by a cap that starts in 2027;
    withdrawals happen only when a family migrant files in 2027 or later. Pending on 31 December 2026 follows
    from applications and decisions. Also the first asylum applications (exogenous) are equal in every year.
    """
    base, lever = run("baseline", EXACT_SCALE).yearly, run(name, EXACT_SCALE).yearly
    years = np.asarray(run("baseline", EXACT_SCALE).years)
    before = years < LEVER_START.year
    assert np.array_equal(lever[:, years <= 2025], base[:, years <= 2025])
    a = MEASURES.index("applications")
    assert np.array_equal(lever[:, years == 2026, :, a], base[:, years == 2026, :, a])
    assert np.array_equal(lever[:, before], base[:, before])
    f = FLOWS.index("asylum_first")
    assert np.array_equal(lever[:, :, f, a], base[:, :, f, a])


# The decision term sets an earliest decision day; in the baseline projection the nareis queue already makes
# people wait longer than the term, so the shipped scenario changes nothing there (its description says so).
# test_decision_term_binds_when_the_ind_keeps_up checks the lever where it can act.
BINDS_ONLY_WITHOUT_BACKLOG = {"decision_term_9_months"}


@pytest.mark.parametrize("name", [n for n in LEVERS_2027 if n not in BINDS_ONLY_WITHOUT_BACKLOG])
def test_lever_scenario_changes_something_from_its_start(name: str):
    """The counterpart of the test above: from 2027 on, each lever scenario differs from the baseline in some
    year, flow or measure (a lever that changes nothing in the shipped setting says so here)."""
    base, lever = run("baseline", EXACT_SCALE).yearly, run(name, EXACT_SCALE).yearly
    after = np.asarray(run("baseline", EXACT_SCALE).years) >= LEVER_START.year
    assert not np.array_equal(lever[:, after], base[:, after]), f"{name} changes nothing from {LEVER_START}"


def test_decision_term_binds_when_the_ind_keeps_up():
    """With three times the nareis capacity from 2027 (no backlog), a 9-month term used in full makes nareis
    applications filed 2027-2033 wait at least 9 months on average, and longer than without the term."""
    fast = {"ind_capacity": [{"from": "2027-01-01", "asylum_factor": 1.0, "nareis_factor": 3.0, "art8_factor": 1.0}]}
    term = {**fast, "decision_term": [{"from": "2027-01-01", "months": 9, "handling_share": 1.0}]}
    base = scenario("baseline")

    def mean_days(rules: dict) -> float:
        sc = Scenario.model_validate({**base.to_dict(), "name": "variant", "rules": {**base.to_dict()["rules"],
                                                                                     **rules}})
        rec = Records(sc, 0)
        a = rec.apps
        m = ((a.route == NAREIS) & (a.filed >= rec.day(dt.date(2027, 1, 1)))
             & (a.filed < rec.day(dt.date(2034, 1, 1))) & ~np.isnan(a.decided))
        assert m.sum() > 100
        return float((a.decided[m] - a.filed[m]).mean())

    without, with_term = mean_days(fast), mean_days(term)
    assert with_term >= 9 * 365.25 / 12 - 1e-6
    assert with_term > without


# --- a scenario identical to the baseline ---------------------------------------------------------------------

def test_copy_of_the_baseline_compares_to_exactly_zero(tmp_path: Path):
    """A scenario that only ``extends: baseline`` gives a comparison.csv of zeros: diff_mean, diff_p05 and
    diff_p95 are all exactly 0.00 (and rel_diff_mean 0.0000 or empty)."""
    copy = tmp_path / "baseline_again.yaml"
    copy.write_text("name: baseline_again\nextends: baseline\ndescription: The baseline, unchanged.\n", "utf-8")
    out = tmp_path / "results"
    code = cli_main(["run", str(SCENARIOS / "baseline.yaml"), str(copy), "--out", str(out), "--scale", "0.05",
                     "--replications", str(REPLICATIONS), "--workers", str(WORKERS), "--compare-to", "baseline",
                     "--quiet"])
    assert code == 0
    lines = (out / "comparison.csv").read_text("utf-8").splitlines()
    header = lines[0].split(",")
    assert header == ["scenario", "baseline", "year", "flow", "measure", "diff_mean", "diff_p05", "diff_p95",
                      "rel_diff_mean"]
    rows = [dict(zip(header, line.split(","), strict=True)) for line in lines[1:]]
    # One row per year, flow and measure, except arrivals and withdrawals of the asylum flows (no such rows).
    assert {int(r["year"]) for r in rows} == set(range(2014, 2036))
    assert len(rows) == len(range(2014, 2036)) * (len(FLOWS) * len(MEASURES) - 4)
    for row in rows:
        assert row["scenario"] == "baseline_again" and row["baseline"] == "baseline"
        assert (row["diff_mean"], row["diff_p05"], row["diff_p95"]) == ("0.00", "0.00", "0.00"), row
        assert row["rel_diff_mean"] in ("", "0.0000"), row


# --- monthly cap ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("replication", RECORD_REPLICATIONS)
def test_cap_holds_in_every_month_from_its_start(replication: int):
    """cap_200_per_month: no calendar month from January 2027 has more than round(200 x scale) nareis-route
    arrivals at simulated size (200 a month at real size): the flow nareis and every stacked flow filed as
    nareis. Tolerance: zero. The cap binds: some months are full."""
    rec = records("cap_200_per_month", replication)
    per_month = scenario("cap_200_per_month").rules.monthly_cap[0].per_month
    cap = round(per_month * SCALE)
    nareis_flows = ("nareis", "nareis_on_nareis", "nareis_after_art8", "amv_sibling_nareis")
    a = rec.apps
    assert np.array_equal(rec.in_flows(*nareis_flows), a.route == NAREIS)
    m = rec.in_flows(*nareis_flows) & ~np.isnan(a.arrived) & (a.arrived >= rec.day(LEVER_START))
    month = np.searchsorted(rec.months, a.arrived[m], side="right") - 1
    counts = np.bincount(month, minlength=len(rec.months))
    assert counts.max() >= cap, "the cap should bind in some month"
    over = {str(np.datetime64(rec.origin) + int(rec.months[i]))[:7]: int(counts[i])
            for i in np.flatnonzero(counts > cap)}
    assert not over, f"months over the cap of {cap} (simulated size): {over}"


# --- withdrawal enforcement --------------------------------------------------------------------------------------

def test_withdrawal_enforcement_withdraws_from_its_start_only():
    """Withdrawals (all flows) are zero in every year before 2027 and positive in some year from 2027; the
    baseline has none at all."""
    w = MEASURES.index("withdrawals")
    years = np.asarray(run("baseline", EXACT_SCALE).years)
    lever = run("withdrawal_enforcement", EXACT_SCALE).yearly[:, :, :, w].sum(axis=2)  # (replications, years)
    assert np.all(lever[:, years < 2027] == 0)
    assert lever[:, years >= 2027].sum() > 0
    assert np.all(run("baseline", EXACT_SCALE).yearly[:, :, :, w] == 0)
