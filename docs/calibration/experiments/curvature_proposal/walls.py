"""Which terms make the objective's steep rise: the largest contributions to the rise at the three largest steps
of ``roughness.py`` (direction 1 at 1.0, direction 2 at 1.0, direction 3 at 0.5905), each cell with its model mean
and predictive standard deviation at the best set and at the moved point. Same settings as ``roughness.py``.

    PYTHONPATH=src python docs/calibration/experiments/curvature_proposal/walls.py
"""

from __future__ import annotations

import math

import numpy as np
from shipped import shipped

from sim.calibration.fit import _params
from sim.calibration.likelihood import log_likelihood, predictive
from sim.calibration.objective import score
from sim.calibration.report import BACKLOG_DATE
from sim.calibration.targets import load_targets
from sim.executors import make_executor
from sim.runner import run_scenario

POINTS = ((1, 1.0), (2, 1.0), (3, 0.5905))
SHOWN = 6


def main() -> None:
    """Print, for each point, the rise split into cells and secondary targets, and its largest cell terms."""
    point = shipped()
    m, dispersion, base, names, z_best, sd = (point.manifest, point.dispersion, point.base, point.names,
                                              point.z_best, point.profile_sd)
    directions = np.random.default_rng(int(m["seed"])).standard_normal((3, len(names)))  # as roughness.py
    targets = load_targets()
    kinds = {"cell", "row_total", "column_total", "table_total", "pending"}
    executor = make_executor(2)

    def views(z: np.ndarray):  # noqa: ANN202
        scenario = base.model_copy(update={"parameters": {**base.parameters, **_params(names, z)}})
        result = run_scenario(scenario, (BACKLOG_DATE, targets.reference_date), executor=executor)
        total, ll, sec = score(result, dispersion=dispersion)
        _, vs = log_likelihood(targets, result.cohorts, result.years, 1, m["scale"], include=kinds,
                               dispersion=dispersion)
        return total, sec, vs

    try:
        f0, sec0, v0 = views(z_best)
        for d, eps in POINTS:
            f1, sec1, v1 = views(z_best + eps * sd * directions[d - 1])
            print(f"\ndirection {d}, step {eps}: rise {f1 - f0:.1f}, of which secondary targets {sec1 - sec0:.1f}")
            terms = sorted(zip(v0, v1, strict=True),
                           key=lambda p: max(p[0].log_prob, -50.0) - max(p[1].log_prob, -50.0), reverse=True)
            print("cell | published | mean, sd at the best set | mean, sd at the point | rise of its term")
            for a, b in terms[:SHOWN]:
                sd_a, sd_b = (math.sqrt(predictive(v.values, m["scale"], mc_error=dispersion == "cell_mc",
                                                   zero_floor=dispersion == "cell_zero")[1]) for v in (a, b))
                rise = max(a.log_prob, -50.0) - max(b.log_prob, -50.0)
                print(f"{a.cell.label} | {a.cell.published} | {a.mean:.1f}, {sd_a:.1f} | {b.mean:.1f}, {sd_b:.1f} | "
                      f"{rise:.1f}")
    finally:
        executor.close()


if __name__ == "__main__":
    main()
