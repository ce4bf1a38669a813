"""How noisy the calibration's objective is under different run settings, and what each costs.

For each setting (replications, scale) it scores the best set shipped at the time (scale 0.25, now in
``../scale_quarter/``) and the four-round experiment's best set on six seeds (the calibration's seed + 1 to + 6) and
prints, per set, the mean and the standard deviation of the objective over the seeds, the paired difference between
the two sets with its standard error, and the wall time of one evaluation. A setting that separates two nearby sets
with a smaller standard error per second of wall time is the better one to fit with.

    PYTHONPATH=src python docs/calibration/experiments/objective_noise/noise_by_setting.py
"""

import time
from pathlib import Path

import numpy as np

from sim.calibration.fit import held_out_objectives
from sim.calibration.targets import load_targets
from sim.executors import make_executor
from sim.parameters import load_calibration
from sim.scenario import SHIPPED_SCENARIOS, Scenario

SETTINGS = [(4, 0.25), (8, 0.25), (4, 0.5)]
SEEDS = 6
FOUR_ROUNDS = Path(__file__).parents[1] / "four_rounds" / "calibrated.yaml"
#: The calibration shipped when this was run (scale 0.25); the shipped file has since been replaced.
PREVIOUS = Path(__file__).parents[1] / "scale_quarter" / "calibrated.yaml"

if __name__ == "__main__":
    shipped = load_calibration(PREVIOUS)
    seed = shipped["manifest"]["seed"]
    points = {"shipped": dict(shipped["parameters"]),
              "four rounds": dict(load_calibration(FOUR_ROUNDS)["parameters"])}
    executor = make_executor(2)
    print(f"objective of two best sets on seeds {seed + 1} to {seed + SEEDS}, by run setting")
    print("replications | scale | shipped mean (sd) | four rounds mean (sd) | four rounds minus shipped (se) "
          "| seconds an evaluation")
    try:
        for replications, scale in SETTINGS:
            base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml").with_run(
                replications=replications, scale=scale, seed=seed, horizon=load_targets().reference_date)
            t0 = time.perf_counter()
            scores = held_out_objectives(base, executor, SEEDS, {}, points, None, True)
            per_eval = (time.perf_counter() - t0) / (SEEDS * len(points))
            a, b = np.array(scores["shipped"]), np.array(scores["four rounds"])
            d = b - a
            print(f"{replications} | {scale} | {a.mean():.1f} ({a.std(ddof=1):.1f}) | {b.mean():.1f} "
                  f"({b.std(ddof=1):.1f}) | {d.mean():.1f} ({d.std(ddof=1) / np.sqrt(SEEDS):.1f}) | {per_eval:.1f}")
    finally:
        executor.close()
