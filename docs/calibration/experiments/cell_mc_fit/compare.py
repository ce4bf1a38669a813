"""Judge three calibrations on seeds 1 to 10 at the fit report's setting (10 replications at scale 0.5).

The calibration shipped at the time (each cell's own variance, scale 0.25, now in ``../scale_quarter/``), the one
fitted at scale 0.5 (``../scale_half/calibrated.yaml``) and the one fitted with the ``cell_mc`` dispersion
(``calibrated.yaml`` here). For each run: the log-likelihood with each cell's own variance (``cell``, the fit
report's) and with ``cell_mc``, and how many figures meet each band (as ``sim fit-report`` counts them). Differences
from the shipped set are paired by seed.

    PYTHONPATH=src python docs/calibration/experiments/cell_mc_fit/compare.py
"""

import sys
from pathlib import Path

from sim.parameters import load_calibration

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import judge_on_seeds, print_summary  # noqa: E402

HERE = Path(__file__).parent
#: The calibration shipped when this was run (scale 0.25); the shipped file has since been replaced.
PREVIOUS = Path(__file__).parents[1] / "scale_quarter" / "calibrated.yaml"
SEEDS = range(1, 11)

if __name__ == "__main__":
    sets = {"shipped": dict(load_calibration(PREVIOUS)["parameters"]),
            "scale 0.5": dict(load_calibration(HERE.parent / "scale_half" / "calibrated.yaml")["parameters"]),
            "cell_mc": dict(load_calibration(HERE / "calibrated.yaml")["parameters"])}
    scores = judge_on_seeds(sets, SEEDS)
    print_summary(scores, against="shipped")
