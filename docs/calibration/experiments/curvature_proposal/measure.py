"""An ensemble proposal with the values' trade-offs: the Gauss-Newton curvature of the objective, measured on the
shipped calibration.

The shipped ensemble is drawn from a normal approximation with one spread per value (the profiles' curvature, no
correlations), scaled by a pilot. This script builds the full curvature instead, from how each target's model mean
moves with each value: one run at the best set and one a profile step up along each of the 38 values (39 runs in
all, at the calibration's own settings: 4 replications at scale 0.5, its seed, its dispersion). With ``J`` those
finite differences (targets by values) and ``W`` each target's information (one over its predictive variance for a
cell, total or pending count; one over the squared 10% spread for a secondary target), ``H = J' W J`` is the
Gauss-Newton curvature of the objective; a weak normal prior of spread ``MAX_SD_Z`` on every value (the largest
spread a flat profile gets) keeps it invertible. The members are then drawn exactly as ``sim calibrate`` draws
them (``draw_ensemble``: pilot, scale, importance weights), in coordinates where that approximation is a standard
normal.

    PYTHONPATH=src python docs/calibration/experiments/curvature_proposal/measure.py

Prints the curvature's spreads beside the profiles', its strongest correlations, then the pilot, the members'
objectives, each member's rise against the approximation's prediction, and the effective sample size.
"""

from __future__ import annotations

import time

import numpy as np
from shipped import shipped

from sim.calibration.ensemble import draw_ensemble
from sim.calibration.fit import MAX_SD_Z, PROFILE_STEP, _params
from sim.calibration.likelihood import cell_values, log_interval_prob, predictive
from sim.calibration.objective import SECONDARY_REL_SD, score, secondary_terms
from sim.calibration.report import BACKLOG_DATE
from sim.calibration.targets import load_targets
from sim.executors import make_executor
from sim.runner import RunResult, run_scenario

KINDS = {"cell", "row_total", "column_total", "table_total", "pending"}


def term_means(result: RunResult, dispersion: str) -> tuple[np.ndarray, np.ndarray]:
    """Every term of the objective as a model mean and its information (one over its variance), in a fixed order.

    A cell held at the objective's floor of -50 gets no information: the objective does not move with it there.
    """
    targets = load_targets()
    scale = result.scenario.run.scale
    means, info = [], []
    for cell in targets.cells:
        if cell.kind not in KINDS:
            continue
        values = cell_values(result.cohorts, result.years, 1, cell)
        mean, var = predictive(values, scale, mc_error=dispersion == "cell_mc", zero_floor=dispersion == "cell_zero")
        floored = log_interval_prob(cell.low, cell.high, mean, var) < -50.0
        means.append(mean)
        info.append(0.0 if floored or var <= 0 else 1.0 / var)
    for _, model, target in secondary_terms(result):
        means.append(model)
        info.append(1.0 / (SECONDARY_REL_SD * target) ** 2)
    return np.array(means), np.array(info)


def main() -> None:
    """Build the curvature on the shipped calibration, draw the members from it, and print what they score."""
    point = shipped()
    cal, m, dispersion, base, names, z_best = (point.calibration, point.manifest, point.dispersion, point.base,
                                               point.names, point.z_best)
    targets = load_targets()
    executor = make_executor(2)
    t0 = time.perf_counter()
    runs = [0]

    def run(z: np.ndarray) -> RunResult:
        runs[0] += 1
        scenario = base.model_copy(update={"parameters": {**base.parameters, **_params(names, z)}})
        return run_scenario(scenario, (BACKLOG_DATE, targets.reference_date), executor=executor)

    def f(z: np.ndarray) -> float:
        return score(run(z), dispersion=dispersion)[0]

    try:
        best = run(z_best)
        f_best = score(best, dispersion=dispersion)[0]
        mu0, info = term_means(best, dispersion)
        print(f"best set: objective {f_best:.2f} (recorded {m['best_objective']}); {len(mu0)} terms, "
              f"{int((info > 0).sum())} with information")
        jac = np.zeros((len(mu0), len(names)))
        for i in range(len(names)):
            z = z_best.copy()
            z[i] += PROFILE_STEP
            jac[:, i] = (term_means(run(z), dispersion)[0] - mu0) / PROFILE_STEP
        h = jac.T @ (info[:, None] * jac) + np.eye(len(names)) / MAX_SD_Z ** 2
        cov = np.linalg.inv(h)
        root = np.linalg.cholesky(cov)
        sd = np.sqrt(np.diag(cov))
        profile_sd = point.profile_sd
        corr = cov / np.outer(sd, sd)
        print(f"\ncurvature: {runs[0]} runs in {time.perf_counter() - t0:.0f} s; eigenvalues of H "
              f"{np.linalg.eigvalsh(h).min():.3g} to {np.linalg.eigvalsh(h).max():.3g}")
        print("value | profile sd_z | curvature sd_z (marginal) | curvature sd_z (conditional)")
        for i, n in enumerate(names):
            print(f"{n} | {profile_sd[i]:.3f} | {sd[i]:.3f} | {1 / np.sqrt(h[i, i]):.3f}")
        pairs = sorted(((abs(corr[i, j]), i, j) for i in range(len(names)) for j in range(i)), reverse=True)[:12]
        print("\nstrongest correlations of the curvature's approximation:")
        for _, i, j in pairs:
            print(f"{names[i]} ~ {names[j]}: {corr[i, j]:+.2f}")

        def g(w: np.ndarray) -> float:  # the objective in coordinates where the approximation is standard normal
            return f(z_best + root @ w)

        t1 = time.perf_counter()
        draw = draw_ensemble(g, np.zeros(len(names)), f_best, np.ones(len(names)), 20, int(m["seed"]))
        rises = np.array(draw.objectives) - f_best
        predicted = 0.5 * np.sum((draw.zs) ** 2, axis=1)  # the approximation's rise at each member
        print(f"\nensemble: {len(draw.pilot_objectives) + len(draw.objectives)} runs in "
              f"{time.perf_counter() - t1:.0f} s")
        print(f"pilot objectives {min(draw.pilot_objectives):.1f}-{max(draw.pilot_objectives):.1f}; "
              f"scale {draw.scale:.4f}")
        print(f"members' objectives {min(draw.objectives):.1f}-{max(draw.objectives):.1f} "
              f"(median {np.median(rises):.1f} above the best set; the approximation predicts "
              f"{np.median(predicted):.1f})")
        print(f"rise minus the approximation's prediction: mean {np.mean(rises - predicted):+.1f}, "
              f"sd {np.std(rises - predicted, ddof=1):.1f}")
        print(f"effective sample size {draw.ess:.2f} of {len(draw.objectives)}; largest weight "
              f"{draw.weights.max():.3f}")
        print(f"shipped ensemble (profiles): scale {m['ensemble_scale']}, members' objectives "
              f"{min(cal['ensemble_objectives']):.1f}-{max(cal['ensemble_objectives']):.1f}, effective sample "
              f"size {m['ensemble_effective_sample_size']}")
    finally:
        executor.close()


if __name__ == "__main__":
    main()
