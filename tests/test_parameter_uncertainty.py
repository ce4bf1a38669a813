"""Runs with calibration uncertainty (``--parameter-uncertainty``): replication ``r`` uses ensemble member ``r``,
the outputs say which kind of band they hold, and the option is refused when there is no ensemble to draw from."""

from __future__ import annotations

import csv
import json

import pytest

import sim.cli
import sim.parameters
from conftest import BASELINE
from sim.cli import main
from sim.output import BAND_RANDOM, BAND_WITH_CALIBRATION
from sim.parameters import load_calibration, resolve_parameters
from sim.scenario import Scenario

SMALL = ["--scale", "0.02", "--replications", "2", "--quiet"]
TINY_REPORT = ["fit-report", "--replications", "2", "--scale", "0.02", "--workers", "1"]


def _ensemble() -> list[dict[str, float]]:
    calibration = load_calibration()
    assert calibration is not None and calibration["ensemble"], "the shipped calibration has an ensemble"
    return calibration["ensemble"]


def test_replication_r_uses_ensemble_member_r_in_turn():
    ensemble = _ensemble()
    calibration = load_calibration()
    assert calibration is not None
    scenario = Scenario.from_yaml(BASELINE)
    name = "adult_partner_abroad_prob"
    best = resolve_parameters(scenario.run.years, scenario.inflow.projection).model[name]
    assert best == pytest.approx(calibration["parameters"][name])
    for r in (0, 1, len(ensemble) + 1):
        params = resolve_parameters(scenario.run.years, scenario.inflow.projection, member=r)
        assert params.model[name] == pytest.approx(ensemble[r % len(ensemble)][name])
        assert f"ensemble member {r % len(ensemble)}" in params.provenance[name][1]
    assert len({m[name] for m in ensemble}) > 1  # the members differ, so the replications do


def test_a_run_with_parameter_uncertainty_says_so_and_differs(tmp_path, capsys):
    plain, drawn = tmp_path / "plain", tmp_path / "drawn"
    loud = [a for a in SMALL if a != "--quiet"]
    assert main(["run", str(BASELINE), "--out", str(plain), *loud, "--seed", "3"]) == 0
    assert f"bands: {BAND_RANDOM}" in " ".join(capsys.readouterr().out.split())
    assert main(["run", str(BASELINE), "--out", str(drawn), *loud, "--seed", "3", "--parameter-uncertainty"]) == 0
    printed = capsys.readouterr()
    assert f"bands: {BAND_WITH_CALIBRATION}" in " ".join(printed.out.split())
    size = len(_ensemble())
    assert (f"note: baseline runs 2 replications, so only ensemble members 0-1 of {size} are used; --replications "
            f"{size} uses every member") in " ".join(printed.err.split())
    bands = [json.loads((folder / "baseline" / "manifest.json").read_text("utf-8"))["identity"]["band"]
             for folder in (plain, drawn)]
    assert bands == [BAND_RANDOM, BAND_WITH_CALIBRATION]
    yearly = [(folder / "baseline" / "yearly.csv").read_text("utf-8") for folder in (plain, drawn)]
    assert yearly[0] != yearly[1]


@pytest.mark.parametrize("calibration", [None, {"parameters": {"adult_partner_abroad_prob": 0.3}, "ensemble": []}],
                         ids=["no calibration", "no ensemble"])
@pytest.mark.parametrize("command", ["run", "fit-report"])
def test_parameter_uncertainty_without_an_ensemble_is_refused_before_anything_is_written(
        tmp_path, monkeypatch, capsys, calibration, command):
    monkeypatch.setattr(sim.parameters, "load_calibration", lambda: calibration)  # what ensemble_size reads
    monkeypatch.setattr(sim.cli, "load_calibration", lambda: calibration)
    out = tmp_path / ("results" if command == "run" else "fit.csv")
    args = ["run", str(BASELINE), *SMALL] if command == "run" else TINY_REPORT
    assert main([*args, "--out", str(out), "--parameter-uncertainty"]) == 2
    assert not out.exists()
    err = capsys.readouterr().err
    assert "--parameter-uncertainty" in err and "no calibration ensemble" in err and "nothing was written" in err


def test_the_fit_report_says_which_band_it_holds(tmp_path):
    size = len(_ensemble())
    reports = {}
    for label, extra in (("plain", []), ("drawn", ["--parameter-uncertainty"])):
        out, md = tmp_path / f"{label}.csv", tmp_path / f"{label}.md"
        assert main([*TINY_REPORT, "--seed", "3", "--out", str(out), "--markdown", str(md), *extra]) == 0
        with open(out, newline="", encoding="utf-8") as fh:
            last = list(csv.reader(fh))[-1]
        reports[label] = (md.read_text("utf-8").splitlines()[0], last)
    first, last = reports["plain"]
    assert "--parameter-uncertainty" not in first and f"Bands: {BAND_RANDOM}." in first
    assert last == ["band", BAND_RANDOM]
    first, last = reports["drawn"]
    drawn = (f"{BAND_WITH_CALIBRATION} (each replication one of the calibration's {size} ensemble members in turn, "
             f"2 used)")
    assert "--seed 3 --parameter-uncertainty`" in first and f"Bands: {drawn}." in first
    assert last == ["band", drawn]


def test_runs_with_different_kinds_of_band_are_not_paired(tmp_path, capsys):
    """A scenario file may ask for calibration uncertainty on its own; its replications then run other parameter
    values than the baseline's, so paired differences would mix the two. Refused in a batch before anything is
    written, and by `sim compare` for folders written apart."""
    drawn = tmp_path / "drawn.yaml"
    drawn.write_text("name: drawn\ndescription: The baseline with calibration uncertainty.\nextends: baseline\n"
                     "run: {parameter_uncertainty: true}\n", "utf-8")
    out = tmp_path / "batch"
    assert main(["run", str(BASELINE), str(drawn), "--out", str(out), *SMALL, "--compare-to", "baseline"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"band {BAND_WITH_CALIBRATION} (baseline: {BAND_RANDOM})" in err and "nothing was written" in err
    assert not out.exists()
    # Written apart, then compared.
    assert main(["run", str(BASELINE), "--out", str(tmp_path / "a"), *SMALL]) == 0
    assert main(["run", str(drawn), "--out", str(tmp_path / "b"), *SMALL]) == 0
    assert main(["compare", str(tmp_path / "a" / "baseline"), str(tmp_path / "b" / "drawn"),
                 "--out", str(tmp_path / "c")]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"its bands hold {BAND_WITH_CALIBRATION} here and {BAND_RANDOM}" in err
    assert not (tmp_path / "c" / "comparison.csv").exists()
