"""Journeys of 2020 held back into the second half of 2020 or into 2021, against the 2020 nareis decisions.

The baseline's ``covid_disruption`` period (15 March to 30 June 2020) is kept as it is; a second period of the
same rule follows it, from 1 July to ``until``, in which a share of the journeys due wait until the day after it
ends and no filing waits (``filing_blocked_share`` 0). Journeys held in the first period arrive on 1 July (the
rule postpones a journey once). No code change: both periods are what a scenario file can state. Run at the
shipped calibration and with ``capacity_nareis[2020]`` at its prior, at the calibration's own settings
(4 replications at scale 0.5, seed 20240216; common random numbers). Columns as in ``stacking_delay/scan.py``.

    PYTHONPATH=src python docs/calibration/experiments/travel_block_2021/scan.py
"""

import datetime as dt
import sys
from itertools import product
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import SCAN_HEADER, at_fit_settings, scan_line  # noqa: E402

from sim.executors import make_executor  # noqa: E402
from sim.levers import CovidDisruption  # noqa: E402
from sim.parameters import load_calibration, prior_value  # noqa: E402
from sim.scenario import SHIPPED_SCENARIOS, Scenario  # noqa: E402

CAPACITY = "capacity_nareis[2020]"
HOLDS = [None] + [(until, share) for until in (dt.date(2020, 12, 31), dt.date(2021, 3, 31), dt.date(2021, 6, 30))
                  for share in (0.3, 0.6, 0.9)]

if __name__ == "__main__":
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    shipped = load_calibration()["parameters"]
    executor = make_executor(2)
    print(f"second period | travel share | {CAPACITY} | {SCAN_HEADER}")
    try:
        for hold, capacity in product(HOLDS, (shipped[CAPACITY], prior_value(CAPACITY))):
            rules, label = base.rules, "none | -"
            if hold is not None:
                until, share = hold
                second = CovidDisruption.model_validate({"from": dt.date(2020, 7, 1), "until": until,
                                                          "travel_blocked_share": share, "filing_blocked_share": 0})
                rules = rules.model_copy(update={"covid_disruption": [*base.rules.covid_disruption, second]})
                label = f"2020-07-01 to {until} | {share}"
            values = {**base.parameters, **shipped, CAPACITY: capacity}
            result = at_fit_settings(base.model_copy(update={"parameters": values, "rules": rules}), executor)
            print(f"{label} | {capacity:.1f} | {scan_line(result)}", flush=True)
    finally:
        executor.close()
