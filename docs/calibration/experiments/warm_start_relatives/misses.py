"""Which table totals and pending counts the shipped calibration and ``calibrated.yaml``'s best set miss.

Needs ``../art8_entrant_relatives/fit_relatives.patch``. On four of the seeds where ``compare.txt`` counts fewer
pending counts met for the best set than for the shipped calibration (2, 6, 9 and 10), both sets run at the fit
report's setting (10 replications at scale 0.5) and the misses of those two bands are printed as the fit report
words them.

    PYTHONPATH=src python docs/calibration/experiments/warm_start_relatives/misses.py > misses.txt

With a file name (``calibrated_850.yaml``), that file's best set instead, on the seeds where ``compare_850.txt``
counts two or more pending counts fewer for it (6, 7, 9 and 10).
"""

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import print_misses  # noqa: E402

from sim.parameters import load_calibration  # noqa: E402

SEEDS = {"calibrated.yaml": (2, 6, 9, 10), "calibrated_850.yaml": (6, 7, 9, 10)}
NAMES = {"calibrated.yaml": "start_600", "calibrated_850.yaml": "start_850"}

if __name__ == "__main__":
    file = sys.argv[1] if len(sys.argv) > 1 else "calibrated.yaml"
    shipped = dict(load_calibration()["parameters"])
    best = yaml.safe_load((Path(__file__).parent / file).read_text("utf-8"))["parameters"]
    print_misses({"shipped": shipped, NAMES[file]: {**shipped, **best}}, SEEDS[file])
