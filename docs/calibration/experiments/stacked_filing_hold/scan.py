"""Stacked applications held back in 2020 and filed at the end of a period, against the 2020 nareis decisions.

Run on ``stacked_filing_hold.patch`` (a rule ``stacked_filing_hold``: a share of the nareis and Art. 8
applications of family migrants as sponsors due in the period are filed the day after it ends). The shipped
calibration with the hold over two periods and three shares, at the shipped and at the prior value of
``capacity_nareis[2020]``, at the calibration's own settings (4 replications at scale 0.5, seed 20240216; common
random numbers). Columns as in ``stacking_delay/scan.py``.

    PYTHONPATH=src python docs/calibration/experiments/stacked_filing_hold/scan.py
"""

import datetime as dt
import sys
from itertools import product
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import SCAN_HEADER, at_fit_settings, scan_line  # noqa: E402

from sim.executors import make_executor  # noqa: E402
from sim.levers import StackedFilingHold  # noqa: E402
from sim.parameters import load_calibration, prior_value  # noqa: E402
from sim.scenario import SHIPPED_SCENARIOS, Scenario  # noqa: E402

CAPACITY = "capacity_nareis[2020]"
HOLDS = [None] + [((dt.date(2020, 3, 15), until), share)
                  for until in (dt.date(2020, 12, 31), dt.date(2021, 3, 31)) for share in (0.3, 0.6, 0.9)]

if __name__ == "__main__":
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    shipped = load_calibration()["parameters"]
    executor = make_executor(2)
    print(f"hold period | share | {CAPACITY} | {SCAN_HEADER}")
    try:
        for hold, capacity in product(HOLDS, (shipped[CAPACITY], prior_value(CAPACITY))):
            rules, label = base.rules, "none | -"
            if hold is not None:
                (start, until), share = hold
                period = StackedFilingHold.model_validate({"from": start, "until": until, "share": share})
                rules = rules.model_copy(update={"stacked_filing_hold": [period]})
                label = f"{start} to {until} | {share}"
            values = {**base.parameters, **shipped, CAPACITY: capacity}
            result = at_fit_settings(base.model_copy(update={"parameters": values, "rules": rules}), executor)
            print(f"{label} | {capacity:.1f} | {scan_line(result)}", flush=True)
    finally:
        executor.close()
