"""The shipped calibration and the one of ``calibrated.json`` on the calibration's own seed and settings.

One run each (4 replications at scale 0.5, seed 20240216), scored with the shipped relative standard deviation of
the secondary targets (0.10), and the values that differ most between the two on the fit's stretched scale.
Columns as in ``stacking_delay/scan.py``.

    PYTHONPATH=src python docs/calibration/experiments/secondary_sd/rows.py
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import SCAN_HEADER, at_fit_settings, scan_line  # noqa: E402

from sim.calibration.fit import FREE_PARAMETERS, stretch  # noqa: E402
from sim.executors import make_executor  # noqa: E402
from sim.parameters import load_calibration, prior_value  # noqa: E402
from sim.scenario import SHIPPED_SCENARIOS, Scenario  # noqa: E402

if __name__ == "__main__":
    fitted = json.loads((Path(__file__).parent / "calibrated.json").read_text())["best"]
    shipped = dict(load_calibration()["parameters"])
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    executor = make_executor(2)
    print(f"set | {SCAN_HEADER}")
    try:
        for name, values in (("shipped", shipped), ("secondary_sd", {**shipped, **fitted})):
            result = at_fit_settings(base.model_copy(update={"parameters": {**base.parameters, **values}}), executor)
            print(f"{name} | {scan_line(result)}", flush=True)
    finally:
        executor.close()
    moves = sorted(FREE_PARAMETERS, key=lambda n: -abs(stretch(fitted[n], FREE_PARAMETERS[n])
                                                        - stretch(shipped[n], FREE_PARAMETERS[n])))
    print("\nvalue | prior | shipped | secondary_sd (the ten that moved most apart)")
    for n in moves[:10]:
        print(f"{n} | {prior_value(n):.4g} | {shipped[n]:.4g} | {fitted[n]:.4g}")
