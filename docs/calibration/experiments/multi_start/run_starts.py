"""Run chosen starts of a multi-start calibration, one after another, and write what each found as JSON.

Start k is :func:`sim.calibration.fit.start_points` (seed 20240216)[k], fitted with the settings `sim calibrate` was
shipped with at the time (4 replications at scale 0.25, 600 evaluations, 2 rounds over the blocks), without profiles
or ensemble, then scored on the five held-out seeds (seed + 1 to + 5) and on the five selection seeds of
``sim calibrate --starts``. Start 0 is the priors, the then shipped calibration's own start; ``--with-shipped`` also
scores that calibration (scale 0.25, now in ``../scale_quarter/``) on the selection seeds.

    PYTHONPATH=src python docs/calibration/experiments/multi_start/run_starts.py 1 2 --out starts.json
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from sim.calibration.fit import FREE_PARAMETERS, calibrate, held_out_objectives, start_points
from sim.calibration.targets import load_targets
from sim.executors import make_executor
from sim.parameters import load_calibration
from sim.scenario import SHIPPED_SCENARIOS, Scenario

SEED = 20240216
SELECTION_SEED_OFFSET = 1000
#: The calibration shipped when this was run (scale 0.25); the shipped file has since been replaced.
PREVIOUS = Path(__file__).parents[1] / "scale_quarter" / "calibrated.yaml"


def main() -> None:
    """Run the starts given on the command line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("starts", type=int, nargs="+")
    parser.add_argument("--with-shipped", action="store_true")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml").with_run(
        replications=4, scale=0.25, seed=SEED, horizon=load_targets().reference_date)
    selection = base.with_run(seed=SEED + SELECTION_SEED_OFFSET)
    points = start_points(SEED, max(args.starts) + 1)
    executor = make_executor(args.workers)
    found: dict[str, dict] = {}
    try:
        if args.with_shipped:
            shipped = dict(load_calibration(PREVIOUS)["parameters"])
            scores = held_out_objectives(selection, executor, 5, dict(base.parameters), {"best": shipped},
                                         None, True)
            found["shipped"] = {"selection": scores["best"], "selection_seeds": scores["seeds"]}
            args.out.write_text(json.dumps(found, indent=1))
        for k in args.starts:
            t0 = time.perf_counter()
            cal = calibrate(base, executor, 600, 0, start=points[k], cycles=2, profiles=False, held_out_seeds=5,
                            progress=lambda phase, n, best, k=k: print(f"start {k} {phase} {n} {best:.2f}",
                                                                        flush=True))
            scores = held_out_objectives(selection, executor, 5, dict(base.parameters), {"best": cal.best},
                                         None, True)
            found[str(k)] = {
                "start": {n: round(points[k][n], 6) for n in FREE_PARAMETERS},
                "start_objective": cal.evaluations[0].objective, "best": cal.best,
                "best_objective": cal.best_objective, "evaluations": len(cal.evaluations),
                "wall_seconds": round(time.perf_counter() - t0, 1), "held_out": cal.held_out,
                "held_out_mean": float(np.mean(cal.held_out["best_objective"])),
                "selection": scores["best"], "selection_seeds": scores["seeds"],
                "selection_mean": float(np.mean(scores["best"]))}
            args.out.write_text(json.dumps(found, indent=1))
    finally:
        executor.close()


if __name__ == "__main__":
    main()
