"""A longer delay between a family migrant's arrival and the next application, against the 2020 nareis decisions.

Does it free the stacked flows of 2021 from the nareis decisions of 2020? The shipped calibration run with other
values of each delay (exponential, mean in days), at the shipped and at the prior value of
``capacity_nareis[2020]``, at the calibration's own settings (4 replications at scale 0.5, seed 20240216; common
random numbers):

- ``own_asylum_delay_mean_days`` (calibrated): from arrival to a family migrant's own asylum claim;
- ``art8_filing_delay_mean_days`` (calibrated): from the moment a sponsor can apply to an Art. 8 application;
- ``nareis_filing_delay_mean_days`` (an assumption, 60): from a sponsor's permit to a nareis application; for a
  family migrant with a family of their own, from arrival (or from the grant of their own claim).

For each value: the objective and its two parts under ``cell`` (the fit's dispersion), the model's means of the
nareis-on-nareis applications and grants and of the Art. 8-after-nareis applications 2019-2023 (published
180, 120, 290, 110, 170; 120, 50, 130, 40, 10; 330, 180, 230, 180, 120), and the CBS nareis arrivals 2019-2021
(published 4,180, 3,865, 10,120).

    PYTHONPATH=src python docs/calibration/experiments/stacking_delay/scan.py
"""

import argparse
from itertools import product

from sim.calibration.io import fit_base
from sim.calibration.likelihood import log_likelihood, secondary_values
from sim.calibration.objective import score
from sim.calibration.report import BACKLOG_DATE
from sim.calibration.targets import load_targets
from sim.executors import make_executor
from sim.parameters import load_calibration, load_model_parameters, prior_value
from sim.runner import run_scenario

CAPACITY = "capacity_nareis[2020]"
SCANS = {"own_asylum_delay_mean_days": (None, 560.0, 1000.0), "art8_filing_delay_mean_days": (None, 500.0, 900.0),
         "nareis_filing_delay_mean_days": (None, 180.0, 365.0)}  # None: the shipped value
SERIES = (("nareis_on_nareis", "applications"), ("nareis_on_nareis", "grants"), ("art8_after_nareis", "applications"))

if __name__ == "__main__":
    cal = load_calibration()
    m = cal["manifest"]
    base = fit_base(argparse.Namespace(replications=m["replications"], scale=m["scale"], seed=m["seed"]))
    targets = load_targets()
    executor = make_executor(2)
    shipped, model = cal["parameters"], load_model_parameters()
    print(f"delay | value | {CAPACITY} | objective: total, -cells, secondary | "
          + " | ".join(f"{t} {k} 2019-2023" for t, k in SERIES) + " | CBS arrivals 2019-2021")
    try:
        for name, delays in SCANS.items():
            for capacity, delay in product((shipped[CAPACITY], prior_value(CAPACITY)), delays):
                delay = delay if delay is not None else shipped.get(name, model[name].value)
                values = {**base.parameters, **shipped, CAPACITY: capacity, name: delay}
                scenario = base.model_copy(update={"parameters": values})
                result = run_scenario(scenario, (BACKLOG_DATE, targets.reference_date), executor=executor)
                total, ll, sec = score(result)
                _, views = log_likelihood(targets, result.cohorts, result.years, 1, m["scale"])
                means = {(v.cell.flows[0], v.cell.measure, v.cell.years[0]): v.mean for v in views
                         if v.cell.kind == "cell"}
                series = [", ".join(f"{means[(f, k, y)]:.0f}" for y in range(2019, 2024)) for f, k in SERIES]
                arrivals = secondary_values(result.yearly, result.years)
                cbs = ", ".join(f"{arrivals[f'cbs_nareis_arrivals[{y}]'].mean():,.0f}" for y in range(2019, 2022))
                print(f"{name} | {delay:.1f} | {capacity:.1f} | {total:.2f}, {-ll:.2f}, {sec:.2f} | "
                      + " | ".join(series) + f" | {cbs}", flush=True)
    finally:
        executor.close()
