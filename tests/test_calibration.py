"""Calibration tests: the baseline with the shipped (calibrated) parameters against the IND tables.

One run of the baseline (scale and replications below) is compared with every target, as ``sim fit-report``
does. The bands are those the calibration promises: well calibrated (neither missing the published cells nor
covering everything with wide bands), totals and pending counts close, the secondary targets in range.
"""

from __future__ import annotations

from functools import cache

import pytest

from sim.calibration.report import FitReport, fit_report
from sim.parameters import load_calibration
from sim.scenario import SHIPPED_SCENARIOS, Scenario

SCALE, REPLICATIONS = 0.5, 8


@cache
def report() -> FitReport:
    scenario = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml").with_run(scale=SCALE,
                                                                                replications=REPLICATIONS)
    return fit_report(scenario, workers=2)


def test_the_baseline_uses_parameters_written_by_sim_calibrate():
    calibration = load_calibration()
    assert calibration is not None
    manifest = calibration["manifest"]
    assert manifest["written_by"] == "sim calibrate"
    assert manifest["evaluations"] > 0 and manifest["seed"] is not None and manifest["code_version"]
    from sim.runner import parameters_for

    params = parameters_for(Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml"))
    for name, value in calibration["parameters"].items():
        assert params.model[name] == value
        assert params.provenance[name][0] == "calibrated"


def test_published_cells_are_covered_neither_too_little_nor_too_much():
    """Between 75% and 98% of the published cells' intervals overlap the model's 90% predictive interval."""
    assert 0.75 <= report().coverage <= 0.98, f"coverage {report().coverage:.0%}"


@pytest.mark.parametrize("kind", ["row_total", "table_total"])
def test_table_totals_are_close(kind: str):
    """Every table total within 20% or 10 persons of the published total, whichever is larger."""
    for v in report().cells:
        if v.cell.kind != kind:
            continue
        mid = (v.cell.low + v.cell.high) / 2
        assert abs(v.mean - mid) <= max(0.2 * mid, 10), (v.cell.label, v.cell.published, round(v.mean, 1))


def test_pending_counts_are_close():
    """Pending counts on 2023-12-31 within 25% or 10 persons."""
    for v in report().cells:
        if v.cell.kind == "pending":
            mid = (v.cell.low + v.cell.high) / 2
            assert abs(v.mean - mid) <= max(0.25 * mid, 10), (v.cell.label, v.cell.published, round(v.mean, 1))


def test_nareis_on_nareis_share_of_granted_nareis():
    """Granted nareis-on-nareis applications are 0.5% to 2% of all granted nareis applications, 2019-2022."""
    (share,) = [s for s in report().secondary if s.name.startswith("nareis_on_nareis_share")]
    assert 0.005 <= share.model_mean <= 0.02, share.model_mean


def test_cbs_nareis_arrivals_per_year():
    """CBS nareis arrivals per year 2016-2023 within 25%."""
    for s in report().secondary:
        if s.name.startswith("CBS nareis arrivals"):
            assert abs(s.model_mean - s.target) <= 0.25 * s.target, (s.name, s.target, round(s.model_mean))
