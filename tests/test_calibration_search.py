"""How far the fit's search gets, and starting it from a file of fitted values (``sim calibrate --start``).

The model is replaced by a cheap stand-in objective (a bowl around a known point), so that these tests check the
search's bookkeeping and the command's handling of the start file, not the model.
"""

from __future__ import annotations

import hashlib
import math
from argparse import Namespace
from pathlib import Path

import numpy as np
import pytest
import yaml

from sim.calibration import fit
from sim.calibration.fit import BLOCKS, FREE_PARAMETERS
from sim.calibration.io import fit_base
from sim.calibration.search import block_budget, not_searched, optimise
from sim.cli import EXIT_INVALID, main
from sim.parameters import prior_value

NAMES = list(FREE_PARAMETERS)
#: The stand-in objective's minimum (transformed scale): every value some way from its prior.
TARGET = np.array([fit._to_z(n, prior_value(n)) + 0.7 for n in NAMES])


def bowl(z: np.ndarray, phase: str = "") -> float:
    return float(np.sum((z - TARGET) ** 2))


def stand_in(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, float]]:
    """Replace the model's objective by the bowl; the parameter sets it is called with are returned, in order."""
    seen: list[dict[str, float]] = []

    def fake_objective(scenario, executor, exclude_years=None, include_pending=True, dispersion="cell"):
        seen.append({n: float(scenario.parameters[n]) for n in NAMES})
        return bowl(np.array([fit._to_z(n, seen[-1][n]) for n in NAMES])), -1.0, 0.0

    monkeypatch.setattr(fit, "objective", fake_objective)
    return seen


def test_a_budget_too_small_for_a_block_is_recorded_and_names_the_values_never_searched():
    """With a few evaluations per value, Powell's first pass stops partway through each block: the record says how
    many values each round moved, and the values after them, never searched, kept their starting values."""
    z0 = np.array([fit._to_z(n, prior_value(n)) for n in NAMES])
    z, f_best, log = optimise(bowl, z0, NAMES, BLOCKS, max_evaluations=120, cycles=2)
    assert [(s.round, s.block) for s in log] == [(r, b) for r in (1, 2) for b in BLOCKS]
    for s in log:
        assert s.values == len(BLOCKS[s.block])
        assert s.budget == block_budget(120, s.values, len(NAMES), 2) and s.evaluations <= s.budget
        assert s.passes == 0 < s.values_searched <= s.values and s.improvement > 0
    missed = not_searched(log, BLOCKS)
    assert {"first-order nareis", "stacked"} <= set(missed)  # the two-value block finishes its second line search
    for block, names in missed.items():
        reached = max(s.values_searched for s in log if s.block == block)
        assert names == list(BLOCKS[block])[reached:]
        for name in names:
            assert z[NAMES.index(name)] == z0[NAMES.index(name)], name
        for name in list(BLOCKS[block])[:reached]:
            assert z[NAMES.index(name)] != z0[NAMES.index(name)], name
    assert f_best < bowl(z0)


def test_a_budget_large_enough_searches_every_value():
    z0 = np.array([fit._to_z(n, prior_value(n)) for n in NAMES])
    z, f_best, log = optimise(bowl, z0, NAMES, BLOCKS, max_evaluations=3000, cycles=1)
    assert all(s.passes >= 1 and s.values_searched == s.values for s in log)
    assert not_searched(log, BLOCKS) == {}
    assert f_best < 1e-3 * bowl(z0)
    assert np.allclose(z, TARGET, atol=0.05)


def test_the_manifest_records_the_search_and_the_command_warns(monkeypatch, tmp_path, capsys):
    stand_in(monkeypatch)
    out = tmp_path / "calibrated.yaml"
    assert main(["calibrate", "--workers", "1", "--max-evaluations", "120", "--ensemble-size", "0",
                 "--held-out-seeds", "0", "--out", str(out)]) == 0
    m = yaml.safe_load(out.read_text("utf-8"))["manifest"]
    assert [(s["round"], s["block"]) for s in m["search"]] == [(r, b) for r in (1, 2) for b in BLOCKS]
    assert m["not_searched"] and all(m["not_searched"][b] for b in m["not_searched"])
    assert m["start"] == "priors" and "start_file" not in m
    printed = " ".join(capsys.readouterr().err.split())
    for block, names in m["not_searched"].items():
        assert f"warning: the search of the block '{block}' ran out of evaluations" in printed
        assert ", ".join(names) in printed


def _fitted_file(path: Path, values: dict[str, object], manifest: dict | None = None) -> Path:
    doc = {"manifest": manifest or {"written_by": "sim calibrate", "code_version": "0.1.0 (abc1234)",
                                    "best_objective": 300.0},
           "parameters": values}
    path.write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")
    return path


def test_the_search_starts_from_the_values_of_a_file_and_the_manifest_names_it(monkeypatch, tmp_path, capsys):
    """The first evaluation and the held-out start are the file's values; a fitted value the file lacks starts at
    its prior and a value the fit does not search is left out, and both are named."""
    seen = stand_in(monkeypatch)
    lo, hi = FREE_PARAMETERS[NAMES[0]]
    values: dict[str, object] = {n: fit._from_z(n, fit._to_z(n, prior_value(n)) + 0.3) for n in NAMES[1:]}
    values["not_a_fitted_value"] = 1.0
    start = _fitted_file(tmp_path / "start.yaml", values)
    out = tmp_path / "calibrated.yaml"
    assert main(["calibrate", "--workers", "1", "--max-evaluations", "60", "--cycles", "1", "--ensemble-size", "0",
                 "--held-out-seeds", "1", "--start", str(start), "--out", str(out)]) == 0
    expected = {NAMES[0]: prior_value(NAMES[0]), **{n: float(values[n]) for n in NAMES[1:]}}  # type: ignore[arg-type]
    assert seen[0] == pytest.approx(expected, rel=1e-9)
    doc = yaml.safe_load(out.read_text("utf-8"))
    m = doc["manifest"]
    assert m["start"] == "file"
    assert m["start_file"] == {"file": str(start), "sha256": hashlib.sha256(start.read_bytes()).hexdigest(),
                               "written_by": "sim calibrate", "code_version": "0.1.0 (abc1234)",
                               "best_objective": 300.0, "priors_for": [NAMES[0]], "ignored": ["not_a_fitted_value"]}
    start_objective = bowl(np.array([fit._to_z(n, expected[n]) for n in NAMES]))
    assert math.isclose(m["start_objective"], start_objective, rel_tol=1e-6)
    assert math.isclose(m["held_out"]["start_objective"][0], start_objective, rel_tol=1e-3)
    printed = " ".join(capsys.readouterr().err.split())
    assert f"starting from the {len(NAMES) - 1} values of {start}" in printed
    assert f"at their priors (not in the file): {NAMES[0]}" in printed
    assert "left out (not searched by the fit): not_a_fitted_value" in printed


@pytest.mark.parametrize(("value", "problem"), [
    (1e9, "is outside the bounds of the fit's search"),
    ("high", "'high' is not a number"),
    (True, "True is not a number"),
])
def test_a_bad_start_file_stops_the_command_before_any_run_and_names_line_and_field(monkeypatch, tmp_path, capsys,
                                                                                    value, problem):
    seen = stand_in(monkeypatch)
    name = NAMES[3]
    start = _fitted_file(tmp_path / "start.yaml", {NAMES[0]: prior_value(NAMES[0]), name: value})
    line = 1 + start.read_text("utf-8").splitlines().index(f"  {name}: " + yaml.safe_dump(value).split("\n")[0])
    out = tmp_path / "calibrated.yaml"
    out.write_text("the previous calibration\n", "utf-8")
    assert main(["calibrate", "--workers", "1", "--start", str(start), "--out", str(out)]) == EXIT_INVALID
    err = " ".join(capsys.readouterr().err.split())
    assert f"{start}:{line}: field 'parameters.{name}': " in err and problem in err
    assert "nothing was written" in err
    assert seen == [] and out.read_text("utf-8") == "the previous calibration\n"


@pytest.mark.parametrize(("text", "problem"), [
    ("manifest: {}\n", "no 'parameters' mapping"),
    ("parameters:\n  something_else: 1.0\n", "none of the values the fit searches is in this file"),
])
def test_a_start_file_without_fitted_values_is_refused(monkeypatch, tmp_path, capsys, text, problem):
    seen = stand_in(monkeypatch)
    start = tmp_path / "start.yaml"
    start.write_text(text, "utf-8")
    assert main(["calibrate", "--workers", "1", "--start", str(start), "--out", str(tmp_path / "o.yaml")]) \
        == EXIT_INVALID
    assert problem in " ".join(capsys.readouterr().err.split()) and seen == []
    assert not (tmp_path / "o.yaml").exists()


def test_the_shipped_calibration_file_is_a_valid_start():
    """The file `sim calibrate --start` is most often given: every fitted value in it is taken."""
    from sim.calibration.io import read_start
    from sim.parameters import CALIBRATED_FILE

    values, record = read_start(CALIBRATED_FILE)
    assert set(values) == set(FREE_PARAMETERS) and record["priors_for"] == [] and record["ignored"] == []
    assert record["written_by"] == "sim calibrate"



def test_a_start_file_with_redraw_ensemble_is_refused(monkeypatch, tmp_path, capsys):
    """Redrawing the ensemble keeps the file's best set and searches nothing, so a start makes no sense there."""
    seen = stand_in(monkeypatch)
    out = tmp_path / "calibrated.yaml"
    out.write_text("the previous calibration\n", "utf-8")
    assert main(["calibrate", "--redraw-ensemble", "--start", str(out), "--out", str(out)]) == EXIT_INVALID
    assert "cannot be combined with --redraw-ensemble" in " ".join(capsys.readouterr().err.split())
    assert seen == [] and out.read_text("utf-8") == "the previous calibration\n"


def _base():
    return fit_base(Namespace(replications=1, scale=0.02, seed=1))


def test_a_followed_value_takes_its_leaders_value_in_every_evaluation(monkeypatch):
    """A follower is never searched: every evaluation, from the start on, and the best set carry its leader's value,
    though the start gave it another and the search moves the leader."""
    seen = stand_in(monkeypatch)
    leader, follower = "art8_grant_share[2022]", "art8_grant_share[2023]"
    start = {n: prior_value(n) for n in NAMES} | {follower: 0.1, leader: 0.4}
    cal = fit.calibrate(_base(), None, max_evaluations=400, ensemble_size=0, profiles=False, start=start, cycles=1,
                        follow={follower: leader})
    assert len(seen) == len(cal.evaluations) > 100
    assert all(s[follower] == s[leader] for s in seen)
    assert seen[0][leader] == pytest.approx(0.4)
    assert cal.best[follower] == cal.best[leader] and abs(cal.best[leader] - 0.4) > 0.01
    assert cal.settings["follow"] == {follower: leader}
    assert all(follower not in names for names in cal.settings["not_searched"].values())


@pytest.mark.parametrize(("follow", "options"), [
    ({"art8_grant_share[2023]": "art8_grant_share[2022]"}, {"profiles": True, "ensemble_size": 0}),
    ({"art8_grant_share[2023]": "art8_grant_share[2022]"}, {"profiles": False, "ensemble_size": 5}),
    ({"art8_grant_share[2023]": "not_a_fitted_value"}, {"profiles": False, "ensemble_size": 0}),
])
def test_a_follow_the_calibration_cannot_honour_is_refused_before_any_run(monkeypatch, follow, options):
    seen = stand_in(monkeypatch)
    with pytest.raises(ValueError, match="follow"):
        fit.calibrate(_base(), None, max_evaluations=10, follow=follow, **options)
    assert seen == []
