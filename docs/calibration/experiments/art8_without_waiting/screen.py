"""A short search of the stacked block from the calibration then shipped, with and without one more value.

Arm ``with`` fits ``art8_entrant_at_once_share`` (starting at its prior, 0.5) beside the stacked block; arm
``without`` fixes it at 0, which is the shipped model. Every other value keeps its value in the calibration shipped
at the time (scale 0.25, now in ``../scale_quarter/``). Both arms search with the same budget, seed and settings as
that `sim calibrate` run (4 replications at scale 0.25, seed 20240216), then score their start and their best set on
three held-out seeds. The value exists only in commit 2123ccb (``art8_at_once.patch`` in this folder, on commit
a80d2f2); run with that code, from the repository: `python
docs/calibration/experiments/art8_without_waiting/screen.py with 120 1 > screen_with.txt` (and ``without``).
"""

import json
import sys
from pathlib import Path

import sim.calibration.fit as fit
from sim.executors import make_executor
from sim.parameters import load_calibration
from sim.scenario import SHIPPED_SCENARIOS, Scenario

#: The calibration shipped when this was run (scale 0.25); the shipped file has since been replaced.
PREVIOUS = Path(__file__).parents[1] / "scale_quarter" / "calibrated.yaml"

if __name__ == "__main__":
    arm, budget = sys.argv[1], int(sys.argv[2])
    stacked = dict(fit.BLOCKS["stacked"])
    if arm == "without":
        stacked.pop("art8_entrant_at_once_share", None)
    fit.BLOCKS = {"stacked": stacked}
    fit.FREE_PARAMETERS = dict(stacked)
    shipped = load_calibration(PREVIOUS)["parameters"]
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml").with_run(replications=4, scale=0.25,
                                                                           seed=20240216)
    fixed = {k: v for k, v in shipped.items() if k not in stacked}
    if arm == "without":
        fixed["art8_entrant_at_once_share"] = 0.0
    base = base.model_copy(update={"parameters": {**base.parameters, **fixed}})
    start = {k: shipped.get(k, 0.5) for k in stacked}
    executor = make_executor(int(sys.argv[3]) if len(sys.argv) > 3 else 2)
    cal = fit.calibrate(base, executor, max_evaluations=budget, ensemble_size=0, start=start, cycles=1,
                        profiles=False, held_out_seeds=3,
                        progress=lambda ph, n, b: print(ph, n, round(b, 2), flush=True) if n % 10 == 0 else None)
    print(json.dumps({"arm": arm, "best_objective": cal.best_objective, "held_out": cal.held_out, "best": cal.best,
                      "evals": len(cal.evaluations), "wall": cal.wall_seconds}, indent=1))
