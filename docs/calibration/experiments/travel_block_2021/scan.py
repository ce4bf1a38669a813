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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import scan_rule_variants  # noqa: E402
from refit import START, second_period  # noqa: E402

from sim.scenario import SHIPPED_SCENARIOS, Scenario  # noqa: E402

UNTIL = (dt.date(2020, 12, 31), dt.date(2021, 3, 31), dt.date(2021, 6, 30))

if __name__ == "__main__":
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    variants = [("none | -", None)] + [(f"{START} to {until} | {share}", second_period(base, until, share))
                                       for until in UNTIL for share in (0.3, 0.6, 0.9)]
    scan_rule_variants("second period | travel share", variants)
