"""How the objective rises along random directions from the shipped best set, step by step (quadratic or rough).

Three random directions in the coordinates of the shipped proposal (each value's profile spread ``sd_z``: a point
is ``z_best + eps * sd_z * u`` with ``u`` standard normal), each at ``eps`` from 0.05 to 1 (the shipped ensemble
is drawn at 0.5905). The profiles' normal approximation predicts a rise of ``eps^2 |u|^2 / 2``, a quarter for every
halving of ``eps``. A rise that does not fall that way as ``eps`` shrinks comes from the objective's roughness: at
the calibration's settings (4 replications at scale 0.5, common random numbers) a small move of every value at once
still changes which persons take which path. Same run settings, seed and dispersion as the calibration.

    PYTHONPATH=src python docs/calibration/experiments/curvature_proposal/roughness.py
"""

from __future__ import annotations

import numpy as np
from shipped import shipped

from sim.calibration.fit import _params
from sim.calibration.objective import objective
from sim.executors import make_executor

STEPS = (0.05, 0.1, 0.2, 0.4, 0.5905, 1.0)
DIRECTIONS = 3


def main() -> None:
    """Print the rise of the objective at every step along every direction, beside the prediction."""
    point = shipped()
    m, base, names, z_best, sd = point.manifest, point.base, point.names, point.z_best, point.profile_sd
    f_best = float(m["best_objective"])
    rng = np.random.default_rng(int(m["seed"]))
    executor = make_executor(2)
    try:
        print("direction | eps | predicted rise | rise")
        for d, u in enumerate(rng.standard_normal((DIRECTIONS, len(names))), start=1):
            for eps in STEPS:
                scenario = base.model_copy(update={"parameters": {**base.parameters,
                                                                  **_params(names, z_best + eps * sd * u)}})
                rise = objective(scenario, executor, dispersion=m.get("dispersion", "cell"))[0] - f_best
                print(f"{d} | {eps} | {0.5 * eps ** 2 * float(np.sum(u ** 2)):.1f} | {rise:.1f}", flush=True)
    finally:
        executor.close()


if __name__ == "__main__":
    main()
