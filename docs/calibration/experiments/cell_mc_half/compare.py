"""Judge the shipped calibration and one fitted with ``cell_mc`` at the same run size on seeds 1 to 10.

The shipped calibration (4 replications at scale 0.5, each cell's own variance) and the one fitted with the same
settings but the ``cell_mc`` dispersion (``calibrated.yaml`` here), each run at the fit report's setting (10
replications at scale 0.5) on seeds 1 to 10. For each run: the log-likelihood with ``cell`` and with ``cell_mc``
(the fit report's), and how many figures meet each band (as ``sim fit-report`` counts them). Differences from the
shipped set are paired by seed.

    PYTHONPATH=src python docs/calibration/experiments/cell_mc_half/compare.py
"""

import sys
from pathlib import Path

import numpy as np

from sim.parameters import load_calibration

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import MEASURES, judge_on_seeds  # noqa: E402

HERE = Path(__file__).parent
SEEDS = range(1, 11)

if __name__ == "__main__":
    sets = {"shipped": dict(load_calibration()["parameters"]),
            "cell_mc at 0.5": dict(load_calibration(HERE / "calibrated.yaml")["parameters"])}
    scores = judge_on_seeds(sets, SEEDS)
    print("\nset | " + " | ".join(f"{k} mean (sd)" for k in MEASURES))
    for name, s in scores.items():
        print(f"{name} | " + " | ".join(f"{np.mean(s[k]):.1f} ({np.std(s[k], ddof=1):.1f})" for k in MEASURES))
    for k in MEASURES:
        d = np.array(scores["cell_mc at 0.5"][k]) - np.array(scores["shipped"][k])
        se = d.std(ddof=1) / np.sqrt(len(d))
        print(f"cell_mc at 0.5 minus shipped, {k}: {d.mean():+.2f} (standard error {se:.2f}), "
              f"higher on {int((d > 0).sum())} of {len(d)} seeds")
