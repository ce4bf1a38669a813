"""Which table totals and pending counts the shipped calibration and ``calibrated.yaml``'s best set miss.

Needs ``../art8_entrant_relatives/fit_relatives.patch``. On four of the seeds where ``compare.txt`` counts fewer
pending counts met for the best set than for the shipped calibration (2, 6, 9 and 10), both sets run at the fit
report's setting (10 replications at scale 0.5) and the misses of those two bands are printed as the fit report
words them.

    PYTHONPATH=src python docs/calibration/experiments/warm_start_relatives/misses.py > misses.txt
"""

from pathlib import Path

import yaml

from sim.calibration.report import BACKLOG_DATE, fit_report
from sim.calibration.targets import load_targets
from sim.executors import make_executor
from sim.parameters import load_calibration
from sim.runner import run_scenario
from sim.scenario import SHIPPED_SCENARIOS, Scenario

SEEDS = (2, 6, 9, 10)

if __name__ == "__main__":
    shipped = dict(load_calibration()["parameters"])
    best = yaml.safe_load((Path(__file__).parent / "calibrated.yaml").read_text("utf-8"))["parameters"]
    sets = {"shipped": shipped, "start_600": {**shipped, **best}}
    targets = load_targets()
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    executor = make_executor(2)
    try:
        for seed in SEEDS:
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
