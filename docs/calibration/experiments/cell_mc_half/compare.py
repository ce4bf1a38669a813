"""Judge the shipped calibration and one fitted with ``cell_mc`` at the same run size on seeds 1 to 10.

The shipped calibration (4 replications at scale 0.5, each cell's own variance) and the one fitted with the same
settings but the ``cell_mc`` dispersion (``calibrated.yaml`` here), each run at the fit report's setting (10
replications at scale 0.5) on seeds 1 to 10. For each run: the log-likelihood with ``cell`` and with ``cell_mc``
(the fit report's), and how many figures meet each band (as ``sim fit-report`` counts them). Differences from the
shipped set are paired by seed.

    PYTHONPATH=src python docs/calibration/experiments/cell_mc_half/compare.py
"""

from pathlib import Path

import numpy as np

from sim.calibration.likelihood import log_likelihood
from sim.calibration.report import BACKLOG_DATE, fit_report
from sim.calibration.targets import load_targets
from sim.executors import make_executor
from sim.parameters import load_calibration
from sim.runner import run_scenario
from sim.scenario import SHIPPED_SCENARIOS, Scenario

HERE = Path(__file__).parent
SEEDS = range(1, 11)
BANDS = ("cells", "totals", "pending", "arrivals")
MEASURES = ("cell", "cell_mc", *BANDS)

if __name__ == "__main__":
    targets = load_targets()
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    sets = {"shipped": dict(load_calibration()["parameters"]),
            "cell_mc at 0.5": dict(load_calibration(HERE / "calibrated.yaml")["parameters"])}
    scores: dict[str, dict[str, list[float]]] = {n: {k: [] for k in MEASURES} for n in sets}
    executor = make_executor(2)
    try:
        print("seed | set | log-likelihood (cell) | log-likelihood (cell_mc) | cells | totals | pending | CBS years")
        for seed in SEEDS:
            run = base.with_run(replications=10, scale=0.5, seed=seed, horizon=targets.reference_date)
            for name, params in sets.items():
                scenario = run.model_copy(update={"parameters": {**run.parameters, **params}})
                result = run_scenario(scenario, (BACKLOG_DATE, targets.reference_date, run.run.horizon),
                                      executor=executor)
                ref = result.as_of.index(targets.reference_date)
                for dispersion in ("cell", "cell_mc"):
                    ll, _ = log_likelihood(targets, result.cohorts, result.years, ref, 0.5, dispersion=dispersion)
                    scores[name][dispersion].append(ll)
                bands = {b.key: b for b in fit_report(scenario, result=result).bands()}
                for key in BANDS:
                    scores[name][key].append(bands[key].met)
                print(f"{seed} | {name} | {scores[name]['cell'][-1]:.1f} | {scores[name]['cell_mc'][-1]:.1f} | "
                      + " | ".join(str(bands[k].met) for k in BANDS), flush=True)
    finally:
        executor.close()
    print("\nset | " + " | ".join(f"{k} mean (sd)" for k in MEASURES))
    for name, s in scores.items():
        print(f"{name} | " + " | ".join(f"{np.mean(s[k]):.1f} ({np.std(s[k], ddof=1):.1f})" for k in MEASURES))
    for k in MEASURES:
        d = np.array(scores["cell_mc at 0.5"][k]) - np.array(scores["shipped"][k])
        se = d.std(ddof=1) / np.sqrt(len(d))
        print(f"cell_mc at 0.5 minus shipped, {k}: {d.mean():+.2f} (standard error {se:.2f}), "
              f"higher on {int((d > 0).sum())} of {len(d)} seeds")
