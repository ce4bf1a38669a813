"""Judge the shipped calibration and the minor-siblings variant fitted at scale 0.5 on seeds 1 to 10.

Runs on the model with ``amv_minor_siblings.patch`` applied, with the Art. 8 odds ratio's prior put back to the
shipped 1.0 (the patch also started it from 3.7; at scale 0.5 the variant was fitted from the shipped priors, so
that the minor siblings' two values are the only difference). The variant's calibration (``calibrated_half.yaml``
here, written by the shipped command at scale 0.5) and the shipped calibration with no minor sibling sponsoring
(share 0, which is the shipped model exactly), each at the fit report's setting (10 replications at scale 0.5) on
seeds 1 to 10. Output as in ``art8_without_waiting/compare_half.py``.

    git apply docs/calibration/experiments/amv_minor_siblings/amv_minor_siblings.patch
    PYTHONPATH=src python docs/calibration/experiments/amv_minor_siblings/compare_half.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import judge_on_seeds, print_summary  # noqa: E402

from sim.parameters import load_calibration  # noqa: E402

if __name__ == "__main__":
    variant = load_calibration(Path(__file__).parent / "calibrated_half.yaml")
    shipped = {**load_calibration()["parameters"], "amv_minor_sibling_family_share": 0.0}
    sets = {"shipped": shipped, "minor_siblings": dict(variant["parameters"])}
    print_summary(judge_on_seeds(sets, range(1, 11)), against="shipped")
