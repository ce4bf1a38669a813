"""How much of the fit's advantage on its own seed comes from noisy replicate variances.

Runs the calibration's objective settings (4 replications at scale 0.25, up to 2023-12-31) for the priors and the
shipped best values on the calibration's seed and the five seeds after it, and scores each run's published cells,
totals and pending counts both ways the likelihood offers (`sim.calibration.likelihood`): `cell`, each cell's own
replicate variance, and `pooled`, one variance-to-mean ratio pooled over the cells plus the Monte Carlo error of
the mean. The same runs give both columns, so the difference is the likelihood's alone.
Run from the repository: `python docs/calibration/dispersion_check.py > docs/calibration/dispersion_check.txt`.
"""

import numpy as np

from sim.calibration.likelihood import log_likelihood, pooled_dispersion
from sim.calibration.report import BACKLOG_DATE
from sim.calibration.targets import load_targets
from sim.executors import make_executor
from sim.parameters import load_calibration
from sim.runner import run_scenario
from sim.scenario import SHIPPED_SCENARIOS, Scenario

KINDS = {"cell", "row_total", "column_total", "table_total", "pending"}

if __name__ == "__main__":
    calibration = load_calibration()
    m = calibration["manifest"]
    targets = load_targets()
    executor = make_executor(2)
    rows: dict[str, dict[str, list[float]]] = {"priors": {"cell": [], "pooled": []}, "best": {"cell": [], "pooled": []}}
    print(f"calibration of {m['date']} (code {m['code_version']}, seed {m['seed']}); log-likelihood of the published "
          f"cells, totals and pending counts; {m['replications']} replications at scale {m['scale']}")
    print("seed | point | cell | pooled | pooled dispersion")
    for k in range(6):
        seed = int(m["seed"]) + k
        base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml").with_run(
            replications=m["replications"], scale=m["scale"], seed=seed, horizon=targets.reference_date)
        for point in ("priors", "best"):
            params = dict(calibration["priors"] if point == "priors" else calibration["parameters"])
            as_of = (BACKLOG_DATE, targets.reference_date)
            result = run_scenario(base.model_copy(update={"parameters": params}), as_of, executor=executor)
            ll = {d: log_likelihood(targets, result.cohorts, result.years, 1, m["scale"], include=KINDS,
                                    dispersion=d) for d in ("cell", "pooled")}
            phi = pooled_dispersion([v.values for v in ll["pooled"][1]], m["scale"])
            label = f"{seed} (fitted)" if k == 0 else str(seed)
            print(f"{label} | {point} | {ll['cell'][0]:.2f} | {ll['pooled'][0]:.2f} | {phi:.2f}")
            if k > 0:
                for d in ("cell", "pooled"):
                    rows[point][d].append(ll[d][0])
    executor.close()
    for point in ("priors", "best"):
        print(f"mean of the held-out seeds | {point} | {np.mean(rows[point]['cell']):.2f} | "
              f"{np.mean(rows[point]['pooled']):.2f} |")
