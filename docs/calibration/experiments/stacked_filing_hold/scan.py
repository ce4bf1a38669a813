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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import scan_rule_variants  # noqa: E402

from sim.levers import StackedFilingHold  # noqa: E402

START = dt.date(2020, 3, 15)

if __name__ == "__main__":
    holds = [(until, share) for until in (dt.date(2020, 12, 31), dt.date(2021, 3, 31)) for share in (0.3, 0.6, 0.9)]
    variants = [("none | -", None)] + [
        (f"{START} to {until} | {share}",
         {"stacked_filing_hold": [StackedFilingHold.model_validate({"from": START, "until": until, "share": share})]})
        for until, share in holds]
    scan_rule_variants("hold period | share", variants)
