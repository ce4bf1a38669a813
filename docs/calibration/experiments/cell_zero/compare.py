"""Judge the shipped calibration and one fitted with ``cell_zero`` at the same run size on seeds 1 to 10.

The shipped calibration (4 replications at scale 0.5, each cell's own variance, ``cell``) and the one fitted with
the same settings but the ``cell_zero`` dispersion (``calibrated.yaml`` here), each run at the fit report's
setting (10 replications at scale 0.5) on seeds 1 to 10. For each run: the log-likelihood with ``cell`` and with
``cell_mc`` (the fit report's), and how many figures meet each band (as ``sim fit-report`` counts them).
Differences from the shipped set are paired by seed.

    PYTHONPATH=src python docs/calibration/experiments/cell_zero/compare.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import compare_with_shipped  # noqa: E402

if __name__ == "__main__":
    compare_with_shipped("cell_zero", Path(__file__).parent / "calibrated.yaml")
