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

import sys
from itertools import product
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import SCAN_HEADER, at_fit_settings, scan_line  # noqa: E402

from sim.executors import make_executor  # noqa: E402
from sim.parameters import load_calibration, load_model_parameters, prior_value  # noqa: E402
from sim.scenario import SHIPPED_SCENARIOS, Scenario  # noqa: E402

CAPACITY = "capacity_nareis[2020]"
SCANS = {"own_asylum_delay_mean_days": (None, 560.0, 1000.0), "art8_filing_delay_mean_days": (None, 500.0, 900.0),
         "nareis_filing_delay_mean_days": (None, 180.0, 365.0)}  # None: the shipped value

if __name__ == "__main__":
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    shipped, model = load_calibration()["parameters"], load_model_parameters()
    executor = make_executor(2)
    print(f"delay | value | {CAPACITY} | {SCAN_HEADER}")
    try:
        for name, delays in SCANS.items():
            for capacity, delay in product((shipped[CAPACITY], prior_value(CAPACITY)), delays):
                delay = delay if delay is not None else shipped.get(name, model[name].value)
                values = {**base.parameters, **shipped, CAPACITY: capacity, name: delay}
                result = at_fit_settings(base.model_copy(update={"parameters": values}), executor)
                print(f"{name} | {delay:.1f} | {capacity:.1f} | {scan_line(result)}", flush=True)
    finally:
        executor.close()
