"""``sim calibrate``'s search with the relatives of Art. 8 entrants, started from the shipped calibration.

Needs ``fit_relatives.patch`` (``relatives.patch`` plus three more free values in the fit's stacked block:
``art8_entrant_relatives_mean`` (0-5), ``art8_entrant_relatives_delay_mean_days`` (1-730) and
``art8_prob_new_family`` (0.05-0.99), which the shipped fit keeps at its prior, 0.8). The local refits
(``refit.py``) moved a few values from the shipped calibration and were judged better on every seed; this asks
whether the fit's own search gets there from the same start, with every value free: Powell by blocks, as
``make calibrate`` (4 replications at scale 0.5, seed 20240216, two rounds, each cell's own variance), but with
400 evaluations instead of 600, since it starts from the shipped calibration's values, not from the priors. The
relatives start at the scan's values (mean 0.5, 180 days) and the new family's propensity at its prior. It runs
without the profiles and the ensemble, scores the start and the best set on the five held-out seeds, prints the
progress every 10 evaluations and writes the best set and its scores to ``calibrated_from_shipped.json``, which
``compare.py from-shipped`` judges.

    PYTHONPATH=src python docs/calibration/experiments/art8_entrant_relatives/calibrate_from_shipped.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import fit_as_shipped  # noqa: E402

from sim.parameters import load_calibration  # noqa: E402

SEED = 20240216
BUDGET = 400
START = {"art8_entrant_relatives_mean": 0.5, "art8_entrant_relatives_delay_mean_days": 180.0,
         "art8_prob_new_family": 0.8}

if __name__ == "__main__":
    fit_as_shipped(Path(__file__).parent / "calibrated_from_shipped.json",
                   {"seed": SEED, "budget": BUDGET, "start": START}, max_evaluations=BUDGET,
                   start={**load_calibration()["parameters"], **START})
