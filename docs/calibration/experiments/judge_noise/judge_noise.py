"""Where the fit report's log-likelihood varies between seeds, for the same values.

Runs the fit report's setting (10 replications at scale 0.5, up to 2023-12-31) on seeds 1 to 10 and prints, for
each published figure, the mean and standard deviation over seeds of its log-probability (clipped at -50, as in the
total), sorted by that deviation, with the share of the total's variance over seeds that the figure's own variance
makes up. Then, on the same runs, the total and the number of cells covered by the 90% interval with each cell's
own replicate variance (``cell``, the fit report's), with the Monte Carlo error of the mean added and no point mass
at a mean of zero (``cell_mc``), and with the pooled dispersion (``pooled``). Run for the values shipped at the time
(scale 0.25, now ``../scale_quarter/calibrated.yaml``) and for the values fitted at scale 0.5
(``../scale_half/calibrated.yaml``).

    PYTHONPATH=src python docs/calibration/experiments/judge_noise/judge_noise.py
"""

from pathlib import Path

import numpy as np

from sim.calibration.likelihood import log_likelihood
from sim.calibration.report import BACKLOG_DATE
from sim.calibration.targets import load_targets
from sim.executors import make_executor
from sim.parameters import load_calibration
from sim.runner import run_scenario
from sim.scenario import SHIPPED_SCENARIOS, Scenario

SEEDS = range(1, 11)
CLIP = -50.0
DISPERSIONS = ("cell", "cell_mc", "pooled")
SCALE_HALF = Path(__file__).parents[1] / "scale_half" / "calibrated.yaml"
#: The calibration shipped when this was run (scale 0.25); the shipped file has since been replaced.
PREVIOUS = Path(__file__).parents[1] / "scale_quarter" / "calibrated.yaml"

def judge(base: Scenario, name: str, executor: object) -> None:
    """Print the seed-to-seed figures above for one parameter set (``base`` carries it)."""
    targets = load_targets()
    logp: list[list[float]] = []
    totals: dict[str, list[float]] = {d: [] for d in DISPERSIONS}
    covered: dict[str, list[int]] = {d: [] for d in DISPERSIONS}
    labels: list[str] = []
    print(f"== {name}")
    for seed in SEEDS:
        run = base.with_run(replications=10, scale=0.5, seed=seed, horizon=targets.reference_date)
        result = run_scenario(run, (BACKLOG_DATE, targets.reference_date, run.run.horizon), executor=executor)
        ref = result.as_of.index(targets.reference_date)
        for dispersion in DISPERSIONS:
            ll, views = log_likelihood(targets, result.cohorts, result.years, ref, run.run.scale,
                                       dispersion=dispersion)
            totals[dispersion].append(ll)
            covered[dispersion].append(sum(v.overlaps for v in views if v.cell.kind == "cell"))
            if dispersion == "cell":
                logp.append([max(v.log_prob, CLIP) for v in views])
                labels = [f"{v.cell.table} {v.cell.kind} {'+'.join(v.cell.flows)} {v.cell.measure} "
                          f"{v.cell.years[0]}-{v.cell.years[-1]} ({v.cell.published})" for v in views]
        print(f"seed {seed}: log-likelihood " + ", ".join(f"{totals[d][-1]:.1f} ({d})" for d in DISPERSIONS),
              flush=True)
    lp = np.array(logp)
    total_var = float(np.var(lp.sum(axis=1), ddof=1))
    order = np.argsort(-lp.std(axis=0, ddof=1))
    print(f"variance over seeds of the total (cell): {total_var:.0f} (sd {np.sqrt(total_var):.1f}); "
          f"sum of the figures' own variances: {float(lp.var(axis=0, ddof=1).sum()):.0f}")
    print("figure | mean log-probability | sd over seeds | times clipped | share of the total's variance")
    for i in order[:10]:
        col = lp[:, i]
        print(f"{labels[i]} | {col.mean():.1f} | {col.std(ddof=1):.1f} | {int((col <= CLIP).sum())} | "
              f"{col.var(ddof=1) / total_var:.0%}")
    for d in DISPERSIONS:
        print(f"{d}: log-likelihood mean {np.mean(totals[d]):.1f}, sd over seeds {np.std(totals[d], ddof=1):.1f}; "
              f"cells covered mean {np.mean(covered[d]):.1f} (range {min(covered[d])}-{max(covered[d])})")
    print(flush=True)


if __name__ == "__main__":
    baseline = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    shipped = baseline.model_copy(update={"parameters": {**baseline.parameters,
                                                         **load_calibration(PREVIOUS)["parameters"]}})
    half = baseline.model_copy(update={"parameters": {**baseline.parameters,
                                                      **load_calibration(SCALE_HALF)["parameters"]}})
    executor = make_executor(2)
    try:
        judge(shipped, "shipped calibration", executor)
        judge(half, "fitted at scale 0.5", executor)
    finally:
        executor.close()
