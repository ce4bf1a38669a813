"""Judge the shipped calibration and the calibration that also fits six of the values left unfitted on seeds 1 to 10.

Both run on the shipped model (``fit_them.patch`` changes only which values ``sim calibrate`` fits): the shipped
calibration, whose unfitted values keep their priors, and ``calibrated.yaml`` here, written by the shipped command
(``make calibrate``'s) with the patch applied, each at the fit report's setting (10 replications at scale 0.5).
Output as in ``art8_without_waiting/compare_half.py``.

    PYTHONPATH=src python docs/calibration/experiments/unfitted_screen/compare.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import compare_with_shipped  # noqa: E402

if __name__ == "__main__":
    compare_with_shipped("fit_them", Path(__file__).parent / "calibrated.yaml")
