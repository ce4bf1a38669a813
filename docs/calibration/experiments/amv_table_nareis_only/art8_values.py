"""The nareis-only reading's calibration with its Art. 8 values put back to the shipped ones, one group at a time.

Each run is the variant's calibration (``calibrated.yaml`` here) on the patched code (``nareis_only.patch``) at the
calibration's own settings (4 replications at scale 0.5, seed 20240216), with some values replaced by the shipped
calibration's: the Art. 8 grant shares of 2018-2019, the Art. 8 odds ratio, or both. It prints the objective and
its parts under ``cell`` and, for 2020-2023, nareis after Art. 8 applications (published <10, 40, 20, 40) and
Art. 8 after Art. 8 applications and grants (110, 70, 40, 20 and 70, 60, 10, -).

    PYTHONPATH=src python docs/calibration/experiments/amv_table_nareis_only/art8_values.py > art8_values.txt
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
sys.path.insert(0, str(Path(__file__).parents[1] / "art8_entrant_relatives"))
from judging import at_fit_settings, scan_parts  # noqa: E402
from scan import scenario_at  # noqa: E402

from sim.executors import make_executor  # noqa: E402
from sim.parameters import load_calibration  # noqa: E402

SHARES = ("art8_grant_share[2018]", "art8_grant_share[2019]")
ODDS = ("art8_grant_odds_ratio_after_art8",)
GROUPS = {"none": (), "shares 2018-2019": SHARES, "odds ratio": ODDS, "both": SHARES + ODDS}
SERIES = (("nareis_after_art8", "applications"), ("art8_after_art8", "applications"),
          ("art8_after_art8", "grants"))

if __name__ == "__main__":
    variant = dict(load_calibration(Path(__file__).parent / "calibrated.yaml")["parameters"])
    shipped = load_calibration()["parameters"]
    executor = make_executor(2)
    print("shipped values for | objective: total, -cells, secondary | " + " | ".join(f"{r} {m}" for r, m in SERIES))
    try:
        for label, names in GROUPS.items():
            scenario = scenario_at({**variant, **{n: shipped[n] for n in names}})
            print(f"{label} | {scan_parts(at_fit_settings(scenario, executor), SERIES)}", flush=True)
    finally:
        executor.close()
