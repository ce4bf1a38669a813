"""Calibration tests: the shipped calibration was written by ``sim calibrate``, the baseline uses it, and the
model it gives fits the IND tables within the bands set for it.

The fit is checked on a run with a seed other than the calibration's own, so the bands test what the model
predicts, not the random numbers it was fitted on.
"""

from __future__ import annotations

import hashlib
import math

import numpy as np
import pytest

from conftest import baseline, code_version_changing_after_the_first_evaluation
from sim.calibration.fit import FREE_PARAMETERS, calibrate, profile_shape
from sim.calibration.likelihood import CellView
from sim.calibration.report import FitReport, Secondary, fit_report
from sim.calibration.targets import TARGETS_FILE, Cell, load_targets
from sim.cli import main
from sim.executors import make_executor
from sim.parameters import CALIBRATED_FILE, load_calibration, prior_value, resolve_parameters
from sim.scenario import SHIPPED_SCENARIOS, Scenario

#: The check run: a seed the calibration did not use, 10 replications at half scale, up to the reference date.
CHECK_SEED, CHECK_REPLICATIONS, CHECK_SCALE = 1, 10, 0.5

#: Bands the shipped calibration does not meet yet (docs/calibration.md, "What the model gets wrong", and the
#: questions for the IND they turn on, "What the tables cannot settle"). Strict: once a calibration meets a band,
#: its test fails until the mark is removed, so the record cannot go stale.
NOT_MET = pytest.mark.xfail(strict=True, raises=AssertionError,
                             reason="not met by the shipped calibration; see docs/calibration.md")


@pytest.fixture(scope="module")
def calibration() -> dict:
    cal = load_calibration()
    assert cal is not None, f"no calibration shipped: {CALIBRATED_FILE} is missing (run `sim calibrate`)"
    return cal


@pytest.fixture(scope="module")
def report(calibration: dict) -> FitReport:
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    scenario = base.with_run(replications=CHECK_REPLICATIONS, scale=CHECK_SCALE, seed=CHECK_SEED,
                             horizon=load_targets().reference_date)
    return fit_report(scenario, workers=2)


def _published(view) -> float:  # type: ignore[no-untyped-def]
    return (view.cell.low + view.cell.high) / 2


# --- the shipped calibration file -------------------------------------------------------------------------------


def test_calibration_file_was_written_by_sim_calibrate(calibration: dict):
    m = calibration["manifest"]
    assert m["written_by"] == "sim calibrate"
    assert "+dirty" not in m["code_version"], "calibrated with uncommitted code: not reproducible"
    assert "(" in m["code_version"], "the manifest must name the commit the calibration ran on"
    assert isinstance(m["seed"], int) and m["replications"] >= 2 and 0 < m["scale"] <= 1
    assert m["evaluations"] > len(FREE_PARAMETERS) and m["wall_seconds"] > 0
    assert math.isfinite(m["best_objective"])
    assert m["start"] == "priors", "the shipped calibration must be reproducible from the priors"


def test_calibration_was_fitted_to_the_current_targets(calibration: dict):
    assert calibration["manifest"]["targets_sha256"] == hashlib.sha256(TARGETS_FILE.read_bytes()).hexdigest()


def test_calibration_fits_exactly_the_free_parameters_within_their_bounds(calibration: dict):
    assert set(calibration["parameters"]) == set(FREE_PARAMETERS)
    members = calibration["ensemble"]
    assert len(members) >= 10
    for values in [calibration["parameters"], *members]:
        assert set(values) == set(FREE_PARAMETERS)
        for name, value in values.items():
            lo, hi = FREE_PARAMETERS[name]
            assert lo <= value <= hi, (name, value)
    # the ensemble represents uncertainty: its members differ
    spread = np.std([[m[n] for n in FREE_PARAMETERS] for m in members], axis=0)
    assert (spread > 0).all()


def test_every_free_parameter_has_an_identifiability_verdict(calibration: dict):
    profile = calibration["identifiability"]
    assert set(profile) == set(FREE_PARAMETERS)
    for p in profile.values():
        assert p["identifiable"] == (min(p["delta_up"], p["delta_down"]) > 1.0)
        assert p["identifiable"] == (profile_shape(p["delta_up"], p["delta_down"]) == "pinned")


def test_profile_shape_names_the_side_the_tables_bound():
    assert profile_shape(5.0, 3.0) == "pinned"
    assert profile_shape(44.5, 0.6) == "upper"  # a step up costs, a step down does not: bounded from above
    assert profile_shape(-0.1, 8.7) == "lower"
    assert profile_shape(-1.3, -1.5) == "flat" and profile_shape(0.0, 0.0) == "flat"
    assert profile_shape(1.0, 2.0) == "lower"  # a rise of exactly 1 does not rule a value out


def test_baseline_runs_on_the_calibrated_values():
    params = resolve_parameters(tuple(range(2014, 2036)), "mid")
    cal = load_calibration()
    assert cal is not None
    for name in cal["parameters"]:
        kind, note = params.provenance[name]
        assert kind == "calibrated" and "sim calibrate" in note, name
    assert params.model["stacked_investigation_mean_days"] == pytest.approx(
        cal["parameters"]["stacked_investigation_mean_days"])
    assert params.capacity["nareis"][(2018 - 2014) * 12] == pytest.approx(cal["parameters"]["capacity_nareis[2018]"])
    assert params.grant_share[2019 - 2014] == pytest.approx(cal["parameters"]["asylum_grant_share[2019]"])


# --- the fit, on a seed the calibration did not see ----------------------------------------------------------------


def _covered(report: FitReport) -> tuple[int, int]:
    cells = [v for v in report.cells if v.cell.kind == "cell"]
    return sum(v.overlaps for v in cells), len(cells)


def _total_misses(report: FitReport) -> list[tuple]:
    totals = [v for v in report.cells if v.cell.kind in ("row_total", "column_total", "table_total")]
    assert totals
    return [(v.cell.table, "+".join(v.cell.flows), v.cell.measure, v.cell.years, v.cell.published, round(v.mean))
            for v in totals if abs(v.mean - _published(v)) > max(0.2 * _published(v), 10)]


def _pending_misses(report: FitReport) -> list[tuple]:
    pending = [v for v in report.cells if v.cell.kind == "pending"]
    assert len(pending) == 5
    return [(v.cell.table, v.cell.published, round(v.mean)) for v in pending
            if abs(v.mean - _published(v)) > max(0.25 * _published(v), 10)]


def _share(report: FitReport) -> float:
    return next(s for s in report.secondary if s.name.startswith("nareis_on_nareis_share")).model_mean


def _arrival_misses(report: FitReport) -> list[tuple]:
    arrivals = [s for s in report.secondary if s.name.startswith("CBS nareis arrivals")]
    assert [s.name[-4:] for s in arrivals] == [str(y) for y in range(2016, 2024)]
    return [(s.name, s.target, round(s.model_mean)) for s in arrivals if abs(s.model_mean / s.target - 1) > 0.25]


@NOT_MET
def test_between_75_and_98_percent_of_published_cells_are_covered(report: FitReport):
    covered, n = _covered(report)
    assert n == 52
    assert 0.75 <= covered / n <= 0.98, f"{covered} of {n} cells covered"


@NOT_MET
def test_every_table_total_within_20_percent_or_10_persons(report: FitReport):
    misses = _total_misses(report)
    assert not misses, misses


@NOT_MET
def test_pending_counts_on_the_reference_date_within_25_percent_or_10_persons(report: FitReport):
    misses = _pending_misses(report)
    assert not misses, misses


def test_nareis_on_nareis_share_of_granted_nareis_between_half_and_two_percent(report: FitReport):
    assert 0.005 <= _share(report) <= 0.02, _share(report)


@NOT_MET
def test_cbs_nareis_arrivals_within_25_percent_every_year(report: FitReport):
    misses = _arrival_misses(report)
    assert not misses, misses


def test_the_report_judges_the_bands_as_these_tests_do(report: FitReport):
    """The band table of `sim fit-report` (what an adviser reads) agrees, band by band, with the checks above."""
    bands = {b.name: b for b in report.bands()}
    covered, n = _covered(report)
    assert (bands["published cells covered"].met, bands["published cells covered"].total) == (covered, n)
    assert bands["published cells covered"].passed == (0.75 <= covered / n <= 0.98)
    assert bands["published cells covered"].row()[4] == (f"{n - covered} not covered: overlap 'no' in the cell table"
                                                          if covered < n else "-")
    for name, misses in (("table totals", _total_misses(report)), ("pending on the reference date",
                                                                    _pending_misses(report)),
                         ("CBS nareis arrivals", _arrival_misses(report))):
        assert len(bands[name].misses) == len(misses), name
        assert bands[name].met == bands[name].total - len(misses) and bands[name].passed == (not misses), name
    assert bands["nareis-on-nareis share of granted nareis"].passed == (0.005 <= _share(report) <= 0.02)


# --- the calibration itself ------------------------------------------------------------------------------------------


def test_the_report_writes_secondary_figures_as_an_adviser_reads_them():
    """Persons with thousands separators, shares with significant digits; never scientific notation."""
    rows = [Secondary("CBS nareis arrivals 2016", 11814.0, 8860.5, 14767.5, 14998.2, 14690.0, 15440.4, "CBS"),
            Secondary("share", 0.01, 0.005, 0.02, 0.012213, 0.01062, 0.01353, "IND")]
    text = FitReport("baseline", 10, 0.5, -1.0, [], rows).markdown("sim fit-report")
    assert "| 11,814 | 8,860 to 14,768 | 14,998 | 14,690 to 15,440 | no |" in text
    assert "| 0.01 | 0.005 to 0.02 | 0.01221 | 0.01062 to 0.01353 | yes |" in text
    assert "e+" not in text and "e-" not in text


def test_the_band_table_counts_misses_at_the_edges_of_each_band():
    """A total 20% off its midpoint (or 10 persons off a small one) is met, one person more is not; a pending count
    has 25%; the cells' band is a share of cells; a CBS year 25% off is met."""
    def view(kind: str, low: int, high: int, mean: float, lo90: float = 0.0, hi90: float = 0.0) -> CellView:
        cell = Cell("t", kind, ("nareis_on_nareis",), "applications", (2019,), str(low), low, high)
        return CellView(cell, np.array([mean]), mean, lo90, hi90, 0.0)

    cells = [view("cell", 10, 14, 12, 0, 20)] * 3 + [view("cell", 10, 14, 40, 30, 50)]   # 3 of 4 covered: 75%
    totals = [view("row_total", 195, 204, 239.4), view("row_total", 195, 204, 240.5),   # midpoint 199.5
              view("table_total", 10, 14, 22), view("column_total", 10, 14, 22.5)]      # 10 persons off 12
    pending = [view("pending", 95, 104, 74.625), view("pending", 95, 104, 74.0)]          # 25% of 99.5
    secondary = [Secondary("nareis_on_nareis_share 2019-2022", 0.01, 0.005, 0.02, 0.021, 0, 0, "IND"),
                 Secondary("CBS nareis arrivals 2016", 1000, 750, 1250, 1250, 0, 0, "CBS"),
                 Secondary("CBS nareis arrivals 2017", 1000, 750, 1250, 740, 0, 0, "CBS")]
    bands = {b.name: b for b in FitReport("t", 2, 1.0, 0.0, cells + totals + pending, secondary).bands()}
    assert [b.passed for b in bands.values()] == [True, False, False, False, False]
    assert bands["published cells covered"].row()[2:4] == ["3 of 4", "yes"]
    assert [m.split(":")[1] for m in bands["table totals"].misses] == [" 240 against 195", " 22.5 against 10"]
    assert (bands["pending on the reference date"].met, len(bands["pending on the reference date"].misses)) == (1, 1)
    assert bands["nareis-on-nareis share of granted nareis"].misses == ("0.021 outside 0.005-0.02",)
    assert bands["CBS nareis arrivals"].misses == ("2017: 740 against 1,000",)
    text = FitReport("t", 2, 1.0, 0.0, cells + totals + pending, secondary).markdown("sim fit-report")
    assert "| table totals | model mean within 20% or 10 persons of the published midpoint | 2 of 4 | no |" in text


def test_fit_report_command_prints_and_writes_every_target(tmp_path, capsys):
    """`sim fit-report` end to end at a tiny size: the printed tables name every secondary target in figures an
    adviser reads (no scientific notation), and the CSV and Markdown files hold every published cell."""
    out, md = tmp_path / "fit.csv", tmp_path / "fit.md"
    assert main(["fit-report", "--replications", "2", "--scale", "0.02", "--workers", "1", "--out", str(out),
                 "--markdown", str(md)]) == 0
    printed = capsys.readouterr().out
    for name in ("CBS nareis arrivals 2016", "nareis backlog 2023-10-31", "nareis_on_nareis_share"):
        assert name in printed
    assert "e+0" not in printed and "e+0" not in md.read_text("utf-8")
    n_targets = len(load_targets().cells)
    assert len(out.read_text("utf-8").split("\n\n")[0].splitlines()) == n_targets + 1
    # Judged without the Monte Carlo error of the mean: the same run, another log-likelihood, and the report says so.
    md_cell = tmp_path / "fit_cell.md"
    assert main(["fit-report", "--replications", "2", "--scale", "0.02", "--workers", "1", "--out", str(out),
                 "--markdown", str(md_cell), "--dispersion", "cell"]) == 0
    first, first_cell = md.read_text("utf-8").splitlines()[0], md_cell.read_text("utf-8").splitlines()[0]
    assert "--dispersion cell`" in first_cell and "--dispersion" not in first
    assert "(cell_mc dispersion)" in first and "(cell dispersion)" in first_cell
    ll = [float(line.rsplit("log-likelihood ", 1)[1].split(" (")[0]) for line in (first, first_cell)]
    assert ll[0] > ll[1]  # wider predictive distributions, no impossible cells at a mean of zero


def test_calibrate_command_writes_a_complete_calibration_file(tmp_path, capsys, monkeypatch):
    """A tiny calibration with two starts end to end through the command line: it writes a complete file where
    told, which records both starts, their scores on the selection seeds and which was kept, and the code version
    of when it started (the checkout may change during a long run)."""
    import sim.calibration.io as io

    code_version_changing_after_the_first_evaluation(monkeypatch, io)
    out = tmp_path / "calibrated.yaml"
    assert main(["calibrate", "--replications", "2", "--scale", "0.02", "--workers", "1", "--max-evaluations", "5",
                 "--cycles", "1", "--ensemble-size", "2", "--held-out-seeds", "1", "--seed", "7", "--starts", "2",
                 "--selection-seeds", "1", "--out", str(out)]) == 0
    written = load_calibration(out)
    assert written is not None
    assert written["manifest"]["code_version"] == "0.1.0 (at-start)"
    assert set(written["parameters"]) == set(FREE_PARAMETERS) and len(written["ensemble"]) == 2
    # The summary names every value the tables cannot pin down, flat both ways or bounded on one side only.
    printed = " ".join(capsys.readouterr().err.split())
    flat_both = printed.split("(profile flat both ways): ")[1].split(" parameters the tables bound")[0]
    one_side = printed.split("(profile flat the other way): ")[1]
    for name, p in written["identifiability"].items():
        shape = profile_shape(p["delta_up"], p["delta_down"])
        assert (name in flat_both.split(", ")) == (shape == "flat"), (name, shape)
        side = {"upper": "no higher", "lower": "no lower"}.get(shape)
        assert (side is not None) == (f"{name} (" in one_side), (name, shape)
        if side:
            assert f"{name} ({side})" in one_side
    assert written["manifest"]["evaluations"] >= 5 + 2 * len(FREE_PARAMETERS) + 2
    m = written["manifest"]
    assert math.isfinite(m["start_objective"]) and m["start_objective"] >= m["best_objective"] > 0
    assert len(written["ensemble_objectives"]) == len(written["ensemble_weights"]) == 2
    assert all(v >= m["best_objective"] for v in written["ensemble_objectives"])
    assert math.isclose(sum(written["ensemble_weights"]), 1.0, abs_tol=1e-5)
    held_out = written["manifest"]["held_out"]
    assert held_out["seeds"] == [8]
    assert len(held_out["start_objective"]) == len(held_out["best_objective"]) == 1
    assert all(math.isfinite(v) and v > 0 for v in held_out["start_objective"] + held_out["best_objective"])
    assert m["starts"] == 2 and m["selection_seeds"] == 1 and [s["start"] for s in m["start_selection"]] == [0, 1]
    kept = m["start_selection"][m["chosen_start"]]
    means = [s["selection_mean"] for s in m["start_selection"]]
    assert kept["selection_mean"] == min(means) and all(math.isfinite(v) for v in means)
    assert m["best_objective"] <= kept["objective"]


def test_held_out_seeds_score_the_start_and_the_best_set_on_other_seeds(monkeypatch):
    """The held-out scores run the start and the best set on the next seeds, with the fixed values the fit used;
    they are not counted as evaluations of the fit."""
    import sim.calibration.fit as fit

    calls: list[tuple[int, dict[str, float]]] = []
    dispersions: set[str] = set()

    def fake_objective(scenario, executor, exclude_years=None, include_pending=True, dispersion="cell"):
        calls.append((scenario.run.seed, dict(scenario.parameters)))
        dispersions.add(dispersion)
        return float(scenario.run.seed), -1.0, 0.0

    monkeypatch.setattr(fit, "objective", fake_objective)
    base = baseline(0.01).with_run(seed=40)
    cal = fit.calibrate(base, executor=None, max_evaluations=1, ensemble_size=0, cycles=1, profiles=False,
                        held_out_seeds=2, dispersion="pooled")
    assert dispersions == {"pooled"}  # the fit and the held-out scores use the calibration's likelihood
    assert cal.settings["dispersion"] == "pooled"
    fitted = [c for c in calls if c[0] == 40]
    assert len(cal.evaluations) == len(fitted)
    assert [c[0] for c in calls[len(fitted):]] == [41, 41, 42, 42]
    assert cal.held_out == {"seeds": [41.0, 42.0], "start_objective": [41.0, 42.0], "best_objective": [41.0, 42.0]}
    start_params = {n: calls[len(fitted)][1][n] for n in FREE_PARAMETERS}
    assert start_params == pytest.approx({n: prior_value(n) for n in FREE_PARAMETERS}, rel=1e-5)


def test_values_no_longer_fitted_are_judged_at_their_priors(monkeypatch):
    """A value an earlier calibration fitted but this one does not is evaluated at its prior, as the baseline will
    run it once the new file replaces the old; fitted values start from their priors."""
    import sim.calibration.fit as fit

    stale = fit.UNFITTED[-1]
    seen: list[dict[str, float]] = []

    def fake_objective(scenario, executor, exclude_years=None, include_pending=True, dispersion="cell"):
        seen.append(dict(scenario.parameters))
        return 1.0, -1.0, 0.0

    monkeypatch.setattr(fit, "load_calibration", lambda: {"parameters": {stale: 0.987}})
    monkeypatch.setattr(fit, "objective", fake_objective)
    cal = fit.calibrate(baseline(0.01), executor=None, max_evaluations=1, ensemble_size=0, cycles=1,
                        profiles=False)
    assert seen and all(p[stale] == prior_value(stale) for p in seen)
    assert {n: seen[0][n] for n in FREE_PARAMETERS} == pytest.approx({n: prior_value(n) for n in FREE_PARAMETERS},
                                                                      rel=1e-5)
    assert cal.settings["start"] == "priors"


@pytest.mark.slow
def test_recalibration_from_scratch_lands_near_the_shipped_parameters(calibration: dict):
    """Re-run the shipped calibration from the priors with its own settings (about an hour on 2 cores)."""
    m = calibration["manifest"]
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml").with_run(
        replications=m["replications"], scale=m["scale"], seed=m["seed"], horizon=load_targets().reference_date)
    executor = make_executor(2)
    try:
        again = calibrate(base, executor, max_evaluations=m["max_evaluations"], ensemble_size=0, cycles=m["cycles"],
                          start={n: float(v) for n, v in calibration["priors"].items()},
                          dispersion=m.get("dispersion", "cell"))
    finally:
        executor.close()
    assert again.best_objective <= 1.02 * m["best_objective"]
    profile = calibration["identifiability"]
    for name, value in again.best.items():
        if profile[name]["identifiable"]:
            lo, hi = FREE_PARAMETERS[name]
            z = [math.log((x - lo) / (hi - x)) for x in (value, calibration["parameters"][name])]
            assert abs(z[0] - z[1]) <= 3 * profile[name]["sd_z"] + 0.05, name


def test_start_points_start_at_the_priors_then_draw_each_start_from_its_own_seed():
    """Start 0 is the priors; start k does not depend on how many starts there are, differs from the others, and
    stays inside every parameter's bounds."""
    from sim.calibration.fit import start_points

    three, five = start_points(11, 3), start_points(11, 5)
    assert three[0] == {n: prior_value(n) for n in FREE_PARAMETERS}
    assert three == five[:3]
    assert start_points(12, 3)[1] != three[1]
    for point in five[1:]:
        moved = [n for n in FREE_PARAMETERS if not math.isclose(point[n], prior_value(n), rel_tol=1e-3)]
        assert len(moved) > 0.9 * len(FREE_PARAMETERS)
        assert all(FREE_PARAMETERS[n][0] <= v <= FREE_PARAMETERS[n][1] for n, v in point.items())
    assert three[1] != three[2]


def test_several_starts_keep_the_start_that_scores_best_on_the_selection_seeds(monkeypatch):
    """On the calibration's seed the priors score best; on the selection seeds the other start does. The other start
    is kept, with its own best set (no evaluation of the first start leaks back in), and the held-out seeds are
    scored apart from the selection seeds."""
    import sim.calibration.fit as fit

    first = next(iter(FREE_PARAMETERS))
    z_prior = fit._to_z(first, prior_value(first))
    seeds: list[int] = []

    def fake_objective(scenario, executor, exclude_years=None, include_pending=True, dispersion="cell"):
        seed = int(scenario.run.seed)
        seeds.append(seed)
        d = abs(fit._to_z(first, scenario.parameters[first]) - z_prior)
        if seed == 40:
            return (10.0 if d < 1e-9 else 11.0), -1.0, 0.0
        return (20.0 - d if seed > 40 + fit.SELECTION_SEED_OFFSET else 5.0), -1.0, 0.0

    monkeypatch.setattr(fit, "objective", fake_objective)
    base = baseline(0.01).with_run(seed=40)
    cal = fit.calibrate(base, executor=None, max_evaluations=1, ensemble_size=0, cycles=1, profiles=False,
                        held_out_seeds=2, starts=2, selection_seeds=3)
    other_start = fit.start_points(40, 2)[1]
    assert cal.settings["chosen_start"] == 1
    assert cal.best == pytest.approx(other_start, rel=1e-5)
    assert cal.best_objective == 11.0  # the kept start's own objective, not the first start's 10
    selection = cal.settings["start_selection"]
    assert [s["start"] for s in selection] == [0, 1] and selection[0]["objective"] == 10.0
    assert selection[0]["selection_mean"] == 20.0 and selection[1]["selection_mean"] < 20.0
    assert all(len(s["selection_objectives"]) == 3 for s in selection)
    assert sum(s["evaluations"] for s in selection) == len(cal.evaluations)
    assert sorted(set(seeds) - {40}) == [41, 42, 1041, 1042, 1043]
    assert cal.held_out["seeds"] == [41, 42] and cal.held_out["best_objective"] == [5.0, 5.0]

