"""A local refit of the relatives of Art. 8 entrants, with the values of the Art. 8 rows they trade with.

Needs ``relatives.patch``. Starts from the shipped calibration with the best point of ``scan_soon.txt``'s kind
(mean 0.5, applied for from arrival after 180 days on average, the Art. 8-after-Art. 8 odds ratio at 8) and
searches seven values with scipy's Powell method on the fit's stretched scale (``sim.calibration.fit.stretch``),
at the calibration's own settings (4 replications at scale 0.5, seed 20240216; common random numbers), every
other value as shipped: ``art8_entrant_relatives_mean`` (0-5), ``art8_entrant_relatives_delay_mean_days``
(1-730), the odds ratio and the Art. 8 grant shares of 2021-2023 within the fit's bounds, and
``art8_prob_new_family`` (0.05-0.99; kept at its prior 0.8 by the shipped calibration), which sets the other
source of the row. Not a calibration: one seed, seven values, a local search. It prints every evaluation (the
seven values, then the columns of ``scan.py`` from the objective on) and writes the best values to
``refit.json`` beside this file, which ``compare.py`` judges on other seeds.

    PYTHONPATH=src python docs/calibration/experiments/art8_entrant_relatives/refit.py

``refit.py amv`` (needs ``amv_sibling_odds.patch`` instead, which holds ``relatives.patch`` and a separate Art. 8
odds ratio for an AMV's adult sibling, ``art8_grant_odds_ratio_amv_sibling``, prior 1) starts from
``refit.json``'s best values with that odds ratio at 1 and searches it too (0.2-20), eight values; it writes
``refit_amv.json`` (output ``refit_amv.txt``).
"""

import json
import sys
from pathlib import Path

import numpy as np
from scan import DELAY, MEAN, ODDS, SERIES, scenario_at
from scipy.optimize import minimize

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import at_fit_settings, scan_parts  # noqa: E402

from sim.calibration.fit import FREE_PARAMETERS, stretch, unstretch  # noqa: E402
from sim.calibration.objective import score  # noqa: E402
from sim.executors import make_executor  # noqa: E402
from sim.parameters import load_calibration  # noqa: E402

HERE = Path(__file__).parent
SHARES = ("art8_grant_share[2021]", "art8_grant_share[2022]", "art8_grant_share[2023]")
BOUNDS = {MEAN: (0.0, 5.0), DELAY: (1.0, 730.0), ODDS: FREE_PARAMETERS[ODDS],
          **{k: FREE_PARAMETERS[k] for k in SHARES}, "art8_prob_new_family": (0.05, 0.99)}

AMV_ODDS = "art8_grant_odds_ratio_amv_sibling"


def refit(start: dict[str, float], bounds: dict[str, tuple[float, float]], out: Path) -> None:
    """Powell from ``start`` over the values of ``bounds``; prints every run, writes the best values to ``out``."""
    names = list(bounds)
    best: dict[str, object] = {"objective": np.inf}
    executor = make_executor(2)

    def f(z: np.ndarray) -> float:
        """The objective at ``z`` (the values on the stretched scale); prints the run's line."""
        values = {n: unstretch(float(zi), bounds[n]) for n, zi in zip(names, z, strict=True)}
        result = at_fit_settings(scenario_at(values), executor)
        total = score(result)[0]
        print(", ".join(f"{v:.3f}" for v in values.values()) + f" | {scan_parts(result, SERIES)}", flush=True)
        if total < best["objective"]:
            best.update(objective=total, values=values)
        return total

    try:
        print(", ".join(names) + " | objective: total, -cells, secondary | "
              + " | ".join(f"{r} {m}" for r, m in SERIES), flush=True)
        z0 = np.array([stretch(start[n], bounds[n]) for n in names])
        minimize(f, z0, method="Powell", options={"maxfev": 120, "xtol": 0.05, "ftol": 0.5})
    finally:
        executor.close()
    out.write_text(json.dumps(best, indent=1) + "\n")
    print(f"best: {best}")


if __name__ == "__main__":
    if sys.argv[1:] == ["amv"]:
        found = json.loads((HERE / "refit.json").read_text())["values"]
        refit({**found, AMV_ODDS: 1.0}, {**BOUNDS, AMV_ODDS: (0.2, 20.0)}, HERE / "refit_amv.json")
    else:
        shipped = load_calibration()["parameters"]
        refit({MEAN: 0.5, DELAY: 180.0, ODDS: 8.0, **{k: shipped[k] for k in SHARES}, "art8_prob_new_family": 0.8},
              BOUNDS, HERE / "refit.json")
