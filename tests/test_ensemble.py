"""The calibration's ensemble: the pilot's scaling, the importance weights, and
``sim calibrate --redraw-ensemble`` (on a stubbed objective: the model runs are tested elsewhere)."""

from __future__ import annotations

import copy
import math
import shutil

import numpy as np
import pytest

from conftest import code_version_changing_after_the_first_evaluation
from sim.calibration.ensemble import MIN_SCALE, draw_ensemble, effective_sample_size
from sim.cli import main
from sim.parameters import CALIBRATED_FILE, load_calibration


def _quadratic(sd: np.ndarray, precision: float, f_best: float = 100.0):
    """An objective whose likelihood is normal, ``precision`` times sharper than the spreads ``sd`` say."""
    calls: list[np.ndarray] = []

    def f(z: np.ndarray) -> float:
        calls.append(z)
        return f_best + 0.5 * precision * float(np.sum((z / sd) ** 2))
    return f, calls


def test_the_pilot_narrows_a_proposal_that_is_too_wide_and_the_weights_then_spread():
    sd = np.linspace(0.2, 1.5, 30)
    f, calls = _quadratic(sd, precision=25.0)
    scaled = draw_ensemble(f, np.zeros(30), 100.0, sd, size=20, seed=3)
    assert len(calls) == 10 + 20 and len(scaled.pilot_objectives) == 10
    assert scaled.scale == pytest.approx(0.2, rel=1e-9)  # 1 / sqrt(25): a normal likelihood is matched exactly
    assert scaled.ess == pytest.approx(20.0)
    assert all(v >= 100.0 for v in scaled.objectives)
    # Without the pilot (the method before it) the same likelihood leaves one member with all the weight.
    unscaled = draw_ensemble(_quadratic(sd, 25.0)[0], np.zeros(30), 100.0, sd, size=20, seed=3, pilot=0)
    assert unscaled.scale == 1.0
    assert unscaled.ess < 1.5


def test_the_pilot_never_widens_the_proposal_nor_shrinks_it_below_a_tenth():
    sd = np.full(10, 0.5)
    wide = draw_ensemble(_quadratic(sd, 0.2, f_best=0.0)[0], np.zeros(10), 0.0, sd, size=5, seed=1)
    assert wide.scale == 1.0
    sharp = draw_ensemble(_quadratic(sd, 1e6, f_best=0.0)[0], np.zeros(10), 0.0, sd, size=5, seed=1)
    assert sharp.scale == MIN_SCALE


def test_no_members_means_no_pilot_runs():
    f, calls = _quadratic(np.ones(3), 1.0)
    draw = draw_ensemble(f, np.zeros(3), 0.0, np.ones(3), size=0, seed=1)
    assert calls == [] and draw.zs.shape == (0, 3) and draw.ess == 0.0


def test_effective_sample_size():
    w, ess = effective_sample_size([0.0, 0.0, 0.0, 0.0])
    assert ess == pytest.approx(4.0) and w == pytest.approx([0.25] * 4)
    w, ess = effective_sample_size([0.0, -800.0, -900.0])  # far apart in log space, no overflow
    assert ess == pytest.approx(1.0) and w[0] == pytest.approx(1.0)
    assert effective_sample_size([])[1] == 0.0


@pytest.fixture()
def copied_calibration(tmp_path):
    out = tmp_path / "calibrated.yaml"
    shutil.copyfile(CALIBRATED_FILE, out)
    return out


def _stub_objective(monkeypatch, shift: float = 0.0):
    """The model's objective replaced by a quadratic around the file's best set, equal to its recorded objective
    there (plus ``shift``)."""
    import sim.calibration.fit as fit

    cal = load_calibration()
    assert cal is not None
    best, recorded = cal["parameters"], cal["manifest"]["best_objective"]
    z_best = {n: fit._to_z(n, v) for n, v in best.items()}

    def fake_objective(scenario, executor, exclude_years=None, include_pending=True, dispersion="cell"):
        z = {n: fit._to_z(n, scenario.parameters[n]) for n in best}
        return recorded + shift + sum(4.0 * (z[n] - z_best[n]) ** 2 for n in best), -1.0, 0.0

    monkeypatch.setattr(fit, "objective", fake_objective)
    return cal


def test_redraw_ensemble_keeps_the_fit_and_replaces_the_ensemble(monkeypatch, copied_calibration):
    import sim.calibration.io as io

    cal = _stub_objective(monkeypatch)
    code_version_changing_after_the_first_evaluation(monkeypatch, io)
    before = copy.deepcopy(load_calibration(copied_calibration))
    assert main(["calibrate", "--redraw-ensemble", "--ensemble-size", "6", "--workers", "1",
                 "--out", str(copied_calibration)]) == 0
    load_calibration.cache_clear()
    after = load_calibration(copied_calibration)
    assert copied_calibration.read_text("utf-8").startswith("# Written by `sim calibrate`")
    assert after["parameters"] == before["parameters"] == cal["parameters"]
    assert after["identifiability"] == before["identifiability"]
    assert len(after["ensemble"]) == len(after["ensemble_objectives"]) == len(after["ensemble_weights"]) == 6
    assert after["ensemble"] != before["ensemble"][:6]
    assert math.isclose(sum(after["ensemble_weights"]), 1.0, abs_tol=1e-5)
    m = after["manifest"]
    assert m["ensemble_redrawn"]["evaluations"] == 1 + 10 + 6
    assert m["ensemble_redrawn"]["code_version"] == "0.1.0 (at-start)"
    assert 0 < m["ensemble_scale"] <= 1 and len(m["ensemble_pilot_objectives"]) == 10
    assert m["ensemble_effective_sample_size"] == pytest.approx(
        1 / sum(w * w for w in after["ensemble_weights"]), rel=1e-3)
    for key in ("code_version", "seed", "best_objective", "evaluations", "wall_seconds"):
        assert m[key] == before["manifest"][key]  # the fit's own record is kept


def test_redraw_ensemble_refuses_a_file_the_model_no_longer_reproduces(monkeypatch, copied_calibration, capsys):
    _stub_objective(monkeypatch, shift=0.5)
    before = copied_calibration.read_bytes()
    assert main(["calibrate", "--redraw-ensemble", "--ensemble-size", "4", "--workers", "1",
                 "--out", str(copied_calibration)]) == 1
    assert "belongs to other model code" in capsys.readouterr().err
    assert copied_calibration.read_bytes() == before


def test_the_ensemble_is_drawn_around_a_profile_step_that_beats_the_optimiser(monkeypatch):
    """The best set can be a profile step; the ensemble is then centred on it, not on the optimiser's point."""
    import sim.calibration.fit as fit
    from conftest import baseline

    first = next(iter(fit.FREE_PARAMETERS))
    target = fit._to_z(first, fit.prior_value(first)) - fit.PROFILE_STEP  # one profile step down from the start

    def fake_objective(scenario, executor, exclude_years=None, include_pending=True, dispersion="cell"):
        z = fit._to_z(first, scenario.parameters[first])
        return (5.0 if abs(z - target) < 1e-9 else 10.0), -1.0, 0.0

    seen = {}
    real_draw = fit.draw_ensemble

    def fake_draw(f, z_best, f_best, sd, size, seed):
        seen.update(z=z_best.copy(), f=f_best)
        return real_draw(f, z_best, f_best, sd, 0, seed)

    monkeypatch.setattr(fit, "objective", fake_objective)
    monkeypatch.setattr(fit, "draw_ensemble", fake_draw)
    cal = fit.calibrate(baseline(0.01), executor=None, max_evaluations=1, ensemble_size=3, cycles=1)
    assert seen["f"] == 5.0 and seen["z"][0] == pytest.approx(target)
    assert cal.best_objective == 5.0 and fit._to_z(first, cal.best[first]) == pytest.approx(target, abs=1e-5)
