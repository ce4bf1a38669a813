"""Judge the shipped calibration and the fitted COVID-19 disruption variant fitted at scale 0.5 on seeds 1 to 10.

Runs on the model with ``covid_fitted.patch`` applied, with the Art. 8 odds ratio's prior put back to the shipped
1.0 (the patch also started it from 3.7; at scale 0.5 the variant was fitted from the shipped priors, so that the
disruption's three values are the only difference). The variant's calibration (``calibrated_half.yaml`` here,
written by the shipped command at scale 0.5) and the shipped calibration, whose disruption values are the priors
(which is the shipped model exactly), each at the fit report's setting (10 replications at scale 0.5) on seeds 1
to 10. Output as in ``art8_without_waiting/compare_half.py``.

    git apply docs/calibration/experiments/covid_fitted/covid_fitted.patch
    PYTHONPATH=src python docs/calibration/experiments/covid_fitted/compare_half.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import judge_on_seeds, print_summary  # noqa: E402

from sim.parameters import load_calibration  # noqa: E402

if __name__ == "__main__":
    variant = load_calibration(Path(__file__).parent / "calibrated_half.yaml")
    shipped = {**load_calibration()["parameters"], "covid_travel_blocked_share": 0.75,
               "covid_filing_blocked_share": 0.3, "covid_filing_block_days": 108.0}
    sets = {"shipped": shipped, "covid_fitted": dict(variant["parameters"])}
    print_summary(judge_on_seeds(sets, range(1, 11)), against="shipped")
