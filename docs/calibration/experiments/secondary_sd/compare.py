"""Judge the shipped calibration and the one fitted with the secondary targets at 0.25 (``calibrated.json``).

Both on seeds 1 to 10 at the fit report's setting (10 replications at scale 0.5), as the other calibrations were
judged; ``cell_mc_secondary`` uses the shipped relative standard deviation, 0.10. Output as in
``art8_without_waiting/compare_half.py``.

    PYTHONPATH=src python docs/calibration/experiments/secondary_sd/compare.py
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import judge_on_seeds, print_summary  # noqa: E402

from sim.parameters import load_calibration  # noqa: E402

if __name__ == "__main__":
    fitted = json.loads((Path(__file__).parent / "calibrated.json").read_text())["best"]
    shipped = dict(load_calibration()["parameters"])
    sets = {"shipped": shipped, "secondary_sd": {**shipped, **fitted}}
    print_summary(judge_on_seeds(sets, range(1, 11)), against="shipped")
