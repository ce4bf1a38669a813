"""Which table totals and pending counts the shipped calibration and the refit without the relatives miss.

Needs ``relatives.patch`` (the refit's values include the relatives' mean, set to 0 here). On the seeds where
``compare.txt`` counts a different number of pending counts or totals met, both sets run at the fit report's
setting (10 replications at scale 0.5) and the misses of those two bands are printed as the fit report words them.

    PYTHONPATH=src python docs/calibration/experiments/art8_entrant_relatives/misses.py [from-shipped]

With ``from-shipped`` (needs ``fit_relatives.patch``): the shipped calibration and the best set of
``calibrate_from_shipped.py`` on seeds 1 to 4 (output ``misses_from_shipped.txt``).
"""

import json
import sys
from pathlib import Path

from scan import MEAN

from sim.calibration.report import BACKLOG_DATE, fit_report
from sim.calibration.targets import load_targets
from sim.executors import make_executor
from sim.parameters import load_calibration
from sim.runner import run_scenario
from sim.scenario import SHIPPED_SCENARIOS, Scenario

SEEDS = (2, 4, 6, 7, 9, 10)

if __name__ == "__main__":
    here = Path(__file__).parent
    shipped = dict(load_calibration()["parameters"])
    seeds = SEEDS
    if sys.argv[1:] == ["from-shipped"]:
        best = json.loads((here / "calibrated_from_shipped.json").read_text())["best"]
        sets, seeds = {"shipped": shipped, "from_shipped": {**shipped, **best}}, (1, 2, 3, 4)
    else:
        values = json.loads((here / "refit.json").read_text())["values"]
        sets = {"shipped": shipped, "without": {**shipped, **values, MEAN: 0.0}}
    targets = load_targets()
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    executor = make_executor(2)
    try:
        for seed in seeds:
            run = base.with_run(replications=10, scale=0.5, seed=seed, horizon=targets.reference_date)
            for name, params in sets.items():
                scenario = run.model_copy(update={"parameters": {**run.parameters, **params}})
                result = run_scenario(scenario, (BACKLOG_DATE, targets.reference_date, run.run.horizon),
                                      executor=executor)
                bands = {b.key: b for b in fit_report(scenario, result=result).bands()}
                for key in ("totals", "pending"):
                    print(f"{seed} | {name} | {key} | {bands[key].met} | {'; '.join(bands[key].misses)}", flush=True)
    finally:
        executor.close()
