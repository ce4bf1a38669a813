"""The fit scored on random numbers it was not fitted on.

`sim calibrate` compares candidates on one seed's random numbers (common random numbers), so the best set is also
the one that suits that seed's draws best. This script scores the priors and the shipped best values with the
calibration's own run settings (replications, scale, horizon) on the calibration's seed and on the five seeds
after it, as `sim calibrate` does at the end of a calibration (`sim.calibration.fit.held_out_objectives`).
Run from the repository: `python docs/calibration/held_out.py > docs/calibration/held_out.txt`. Options: `--file`
scores another calibration file, `--replications` and `--scale` other run settings, `--dispersion` the other
likelihood (to compare calibrations fitted with different settings on the same footing).
"""

import argparse
from pathlib import Path

import numpy as np

from sim.calibration.fit import held_out_objectives, objective
from sim.calibration.likelihood import DISPERSIONS
from sim.calibration.targets import load_targets
from sim.executors import make_executor
from sim.parameters import load_calibration
from sim.scenario import SHIPPED_SCENARIOS, Scenario

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", type=Path, default=None, help="default: the shipped calibration")
    parser.add_argument("--replications", type=int, default=None, help="default: the calibration's")
    parser.add_argument("--scale", type=float, default=None, help="default: the calibration's")
    parser.add_argument("--dispersion", choices=DISPERSIONS, default=None, help="default: the calibration's")
    args = parser.parse_args()
    calibration = load_calibration(args.file) if args.file else load_calibration()
    m = calibration["manifest"]
    replications, scale = args.replications or m["replications"], args.scale or m["scale"]
    dispersion = args.dispersion or m.get("dispersion", "cell")
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml").with_run(
        replications=replications, scale=scale, seed=m["seed"], horizon=load_targets().reference_date)
    points = {"priors": dict(calibration["priors"]), "best": dict(calibration["parameters"])}
    executor = make_executor(2)
    own = {name: objective(base.model_copy(update={"parameters": p}), executor, dispersion=dispersion)[0]
           for name, p in points.items()}
    scores = held_out_objectives(base, executor, 5, {}, points, None, True, dispersion)
    executor.close()
    print(f"calibration of {m['date']} (code {m['code_version']}, fitted with {m['replications']} replications at "
          f"scale {m['scale']}, {m.get('dispersion', 'cell')} dispersion), scored with {replications} replications at "
          f"scale {scale}, {dispersion} dispersion; objective (negative log-likelihood plus secondary terms)")
    print("seed | priors | best | improvement")
    print(f"{m['seed']} (fitted) | {own['priors']:.2f} | {own['best']:.2f} | {own['priors'] - own['best']:.2f}")
    for seed, pri, best in zip(scores["seeds"], scores["priors"], scores["best"], strict=True):
        print(f"{int(seed)} | {pri:.2f} | {best:.2f} | {pri - best:.2f}")
    pri, best = np.mean(scores["priors"]), np.mean(scores["best"])
    print(f"mean of the held-out seeds | {pri:.2f} | {best:.2f} | {pri - best:.2f}")
