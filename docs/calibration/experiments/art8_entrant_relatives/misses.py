"""Which table totals and pending counts the shipped calibration and the refit without the relatives miss.

Needs ``relatives.patch`` (the refit's values include the relatives' mean, set to 0 here). On the seeds where
``compare.txt`` counts a different number of pending counts or totals met, both sets run at the fit report's
setting (10 replications at scale 0.5) and the misses of those two bands are printed as the fit report words them.

    PYTHONPATH=src python docs/calibration/experiments/art8_entrant_relatives/misses.py [from-shipped]

With ``from-shipped`` (needs ``fit_relatives.patch``): the shipped calibration and the best set of
``calibrate_from_shipped.py`` on seeds 1 to 4 (output ``misses_from_shipped.txt``).
"""

import json
import sys
from pathlib import Path

from scan import MEAN

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import print_misses  # noqa: E402

from sim.parameters import load_calibration  # noqa: E402

SEEDS = (2, 4, 6, 7, 9, 10)

if __name__ == "__main__":
    here = Path(__file__).parent
    shipped = dict(load_calibration()["parameters"])
    seeds = SEEDS
    if sys.argv[1:] == ["from-shipped"]:
        best = json.loads((here / "calibrated_from_shipped.json").read_text())["best"]
        sets, seeds = {"shipped": shipped, "from_shipped": {**shipped, **best}}, (1, 2, 3, 4)
    else:
        values = json.loads((here / "refit.json").read_text())["values"]
        sets = {"shipped": shipped, "without": {**shipped, **values, MEAN: 0.0}}
    print_misses(sets, seeds)
