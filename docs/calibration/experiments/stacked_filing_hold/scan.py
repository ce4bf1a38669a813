"""Stacked applications held back in 2020 and filed at the end of a period, against the 2020 nareis decisions.

Run on ``stacked_filing_hold.patch`` (a rule ``stacked_filing_hold``: a share of the nareis and Art. 8
applications of family migrants as sponsors due in the period are filed the day after it ends). The shipped
calibration with the hold over two periods and three shares, at the shipped and at the prior value of
``capacity_nareis[2020]``, at the calibration's own settings (4 replications at scale 0.5, seed 20240216; common
random numbers). Columns as in ``stacking_delay/scan.py``.

    PYTHONPATH=src python docs/calibration/experiments/stacked_filing_hold/scan.py
"""

import argparse
import datetime as dt
from itertools import product

from sim.calibration.io import fit_base
from sim.calibration.likelihood import log_likelihood, secondary_values
from sim.calibration.objective import score
from sim.calibration.report import BACKLOG_DATE
from sim.calibration.targets import load_targets
from sim.executors import make_executor
from sim.levers import StackedFilingHold
from sim.parameters import load_calibration, prior_value
from sim.runner import run_scenario

CAPACITY = "capacity_nareis[2020]"
SERIES = (("nareis_on_nareis", "applications"), ("nareis_on_nareis", "grants"), ("art8_after_nareis", "applications"))
HOLDS = [None] + [((dt.date(2020, 3, 15), until), share)
                  for until in (dt.date(2020, 12, 31), dt.date(2021, 3, 31)) for share in (0.3, 0.6, 0.9)]

if __name__ == "__main__":
    cal = load_calibration()
    m = cal["manifest"]
    base = fit_base(argparse.Namespace(replications=m["replications"], scale=m["scale"], seed=m["seed"]))
    targets = load_targets()
    executor = make_executor(2)
    shipped = cal["parameters"]
    print(f"hold period | share | {CAPACITY} | objective: total, -cells, secondary | "
          + " | ".join(f"{t} {k} 2019-2023" for t, k in SERIES) + " | CBS arrivals 2019-2021")
    try:
        for hold, capacity in product(HOLDS, (shipped[CAPACITY], prior_value(CAPACITY))):
            rules = base.rules
            label = "none | -"
            if hold is not None:
                (start, until), share = hold
                period = StackedFilingHold.model_validate({"from": start, "until": until, "share": share})
                rules = rules.model_copy(update={"stacked_filing_hold": [period]})
                label = f"{start} to {until} | {share}"
            values = {**base.parameters, **shipped, CAPACITY: capacity}
            scenario = base.model_copy(update={"parameters": values, "rules": rules})
            result = run_scenario(scenario, (BACKLOG_DATE, targets.reference_date), executor=executor)
            total, ll, sec = score(result)
            _, views = log_likelihood(targets, result.cohorts, result.years, 1, m["scale"])
            means = {(v.cell.flows[0], v.cell.measure, v.cell.years[0]): v.mean for v in views if v.cell.kind == "cell"}
            series = [", ".join(f"{means[(f, k, y)]:.0f}" for y in range(2019, 2024)) for f, k in SERIES]
            arrivals = secondary_values(result.yearly, result.years)
            cbs = ", ".join(f"{arrivals[f'cbs_nareis_arrivals[{y}]'].mean():,.0f}" for y in range(2019, 2022))
            print(f"{label} | {capacity:.1f} | {total:.2f}, {-ll:.2f}, {sec:.2f} | " + " | ".join(series)
                  + f" | {cbs}", flush=True)
    finally:
        executor.close()
