"""Compare the calibration then shipped with the one fitted at scale 0.5, out of sample, two ways.

1. The fit report's run (10 replications at scale 0.5, as the calibration tests) on seeds 1 to 10: log-likelihood
   of the published cells, totals and pending counts, and how many figures meet each band.
2. The calibration objective on the five held-out seeds after the calibration's seed, at both fitting settings
   (4 replications at scale 0.25, as that fit; at scale 0.5, as this one).

The first is the calibration shipped at the time (scale 0.25, now in ``../scale_quarter/``). Differences are paired
by seed, so the seed-to-seed spread cancels out.

    PYTHONPATH=src python docs/calibration/experiments/scale_half/compare.py
"""

from pathlib import Path

import numpy as np

from sim.calibration.fit import held_out_objectives
from sim.calibration.report import fit_report
from sim.calibration.targets import load_targets
from sim.executors import make_executor
from sim.parameters import load_calibration
from sim.scenario import SHIPPED_SCENARIOS, Scenario

HERE = Path(__file__).parent
#: The calibration shipped when this was run (scale 0.25); the shipped file has since been replaced.
PREVIOUS = Path(__file__).parents[1] / "scale_quarter" / "calibrated.yaml"
REPORT_SEEDS = range(1, 11)
HELD_OUT_SEEDS = 5


def _paired(a: list[float], b: list[float]) -> str:
    d = np.array(b) - np.array(a)
    return f"mean {d.mean():+.2f}, standard error {d.std(ddof=1) / np.sqrt(len(d)):.2f}"


if __name__ == "__main__":
    shipped = load_calibration(PREVIOUS)
    half = load_calibration(HERE / "calibrated.yaml")
    points = {"shipped": dict(shipped["parameters"]), "scale 0.5": dict(half["parameters"])}
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    reference = load_targets().reference_date

    print("fit report run (10 replications at scale 0.5) on seeds 1-10")
    print("seed | set | log-likelihood | cells covered | totals met | pending met | CBS years met | bands passed")
    ll: dict[str, list[float]] = {name: [] for name in points}
    for seed in REPORT_SEEDS:
        run = base.with_run(replications=10, scale=0.5, seed=seed, horizon=reference)
        for name, params in points.items():
            report = fit_report(run.model_copy(update={"parameters": {**run.parameters, **params}}), workers=2)
            bands = report.bands()
            ll[name].append(report.log_likelihood)
            print(f"{seed} | {name} | {report.log_likelihood:.1f} | " + " | ".join(
                f"{b.met}/{b.total}" for b in bands if b.name != "nareis-on-nareis share of granted nareis")
                  + f" | {sum(b.passed for b in bands)}/{len(bands)}", flush=True)
    for name in points:
        print(f"{name}: mean log-likelihood {np.mean(ll[name]):.1f}")
    print(f"scale 0.5 minus shipped, log-likelihood: {_paired(ll['shipped'], ll['scale 0.5'])}")

    seed = shipped["manifest"]["seed"]
    executor = make_executor(2)
    try:
        for scale in (0.25, 0.5):
            run = base.with_run(replications=4, scale=scale, seed=seed, horizon=reference)
            scores = held_out_objectives(run, executor, HELD_OUT_SEEDS, {}, points, None, True, "cell")
            print(f"objective on {HELD_OUT_SEEDS} held-out seeds, 4 replications at scale {scale}")
            for i, s in enumerate(scores["seeds"]):
                print(f"{s} | " + " | ".join(f"{scores[n][i]:.2f}" for n in points))
            print("mean | " + " | ".join(f"{np.mean(scores[n]):.2f}" for n in points))
            print(f"scale 0.5 minus shipped: {_paired(scores['shipped'], scores['scale 0.5'])}", flush=True)
    finally:
        executor.close()
