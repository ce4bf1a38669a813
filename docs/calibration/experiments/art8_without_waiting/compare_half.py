"""Judge the shipped calibration and the Art. 8-at-once variant fitted at scale 0.5 on seeds 1 to 10.

Runs on the model with ``art8_at_once.patch`` applied. The variant's calibration (``calibrated_half.yaml`` here,
written by the shipped command at scale 0.5) and the shipped calibration with ``art8_entrant_at_once_share`` at 0
(which is the shipped model exactly), each at the fit report's setting (10 replications at scale 0.5) on seeds 1
to 10. Output as in ``cell_zero/compare.py``: per run and per set, the log-likelihood with ``cell`` and
``cell_mc`` and the bands met; then the differences from the shipped set, paired by seed.

    git apply docs/calibration/experiments/art8_without_waiting/art8_at_once.patch
    PYTHONPATH=src python docs/calibration/experiments/art8_without_waiting/compare_half.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import judge_on_seeds, print_summary  # noqa: E402

from sim.parameters import load_calibration  # noqa: E402

if __name__ == "__main__":
    variant = load_calibration(Path(__file__).parent / "calibrated_half.yaml")
    sets = {"shipped": {**load_calibration()["parameters"], "art8_entrant_at_once_share": 0.0},
            "art8_at_once": dict(variant["parameters"])}
    print_summary(judge_on_seeds(sets, range(1, 11)), against="shipped")
