"""What holds the nareis decisions of 2020 up: the shipped calibration run with other values of
``capacity_nareis[2020]``, at the calibration's own settings (4 replications at scale 0.5, seed 20240216).

For each value: the CBS nareis arrivals of 2018-2023, the objective and its two parts (cells and secondary
targets) under ``cell`` (the fit's dispersion) and ``cell_zero``. Then, for the shipped value against the prior
(450 decisions a month), the figures whose log-probability differs most (each floored at -50, as in the fit).

    PYTHONPATH=src python docs/calibration/experiments/capacity_2020/cells.py
"""

import argparse

from sim.calibration.io import fit_base
from sim.calibration.likelihood import log_likelihood, secondary_values
from sim.calibration.objective import score
from sim.calibration.report import BACKLOG_DATE
from sim.calibration.targets import load_targets
from sim.executors import make_executor
from sim.parameters import load_calibration, prior_value
from sim.runner import run_scenario

NAME = "capacity_nareis[2020]"

if __name__ == "__main__":
    cal = load_calibration()
    m = cal["manifest"]
    base = fit_base(argparse.Namespace(replications=m["replications"], scale=m["scale"], seed=m["seed"]))
    targets = load_targets()
    executor = make_executor(2)
    shipped, prior = cal["parameters"][NAME], prior_value(NAME)
    views = {}
    print(f"{NAME} | CBS arrivals 2018-2023 | objective (cell): total, -cells, secondary | same with cell_zero")
    try:
        for value in (shipped, prior, 200.0):
            scenario = base.model_copy(update={"parameters": {**base.parameters, **cal["parameters"], NAME: value}})
            result = run_scenario(scenario, (BACKLOG_DATE, targets.reference_date), executor=executor)
            total, ll, sec = score(result)
            z_total, z_ll, z_sec = score(result, dispersion="cell_zero")
            views[value] = {d: log_likelihood(targets, result.cohorts, result.years, 1, m["scale"], dispersion=d)[1]
                            for d in ("cell", "cell_zero")}
            arrivals = secondary_values(result.yearly, result.years)
            cbs = ", ".join(f"{arrivals[f'cbs_nareis_arrivals[{y}]'].mean():,.0f}" for y in range(2018, 2024))
            print(f"{value:.1f} | {cbs} | {total:.2f}, {-ll:.2f}, {sec:.2f} | {z_total:.2f}, {-z_ll:.2f}, {z_sec:.2f}")
    finally:
        executor.close()
    for dispersion in ("cell", "cell_zero"):
        rows = []
        for a, b in zip(views[shipped][dispersion], views[prior][dispersion], strict=True):
            diff = max(a.log_prob, -50.0) - max(b.log_prob, -50.0)
            rows.append((diff, a, b))
        rows.sort(key=lambda r: -abs(r[0]))
        print(f"\n{dispersion}: log-probability at {shipped:.1f} minus at {prior:.1f}, total "
              f"{sum(r[0] for r in rows):+.1f}; the ten largest differences:")
        print("difference | table | kind | flows | measure | years | published | mean at shipped | mean at prior")
        for diff, a, b in rows[:10]:
            c = a.cell
            print(f"{diff:+.1f} | {c.table} | {c.kind} | {'+'.join(c.flows)} | {c.measure} | "
                  f"{c.years[0]}-{c.years[-1]} | {c.published} | {a.mean:.1f} | {b.mean:.1f}")
