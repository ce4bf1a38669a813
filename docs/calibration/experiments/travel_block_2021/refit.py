"""A local refit of the second travel period of 2020 and the nareis decisions of 2020 and 2021.

Starts from the shipped calibration with the second ``covid_disruption`` period of ``scan.py`` (1 July to
31 December 2020, share 0.3) and searches four values with scipy's Powell method, on the fit's stretched scale
(``sim.calibration.fit.stretch``), at the calibration's own settings (4 replications at scale 0.5, seed 20240216;
common random numbers), every other value as shipped: the travel share of the second period (0.01-0.99), its
length in days from 1 July 2020 (1-365: it ends between 1 July 2020 and 30 June 2021), and
``capacity_nareis[2020]`` and ``[2021]`` within the fit's bounds. Not a calibration: one seed, four values, a
local search from a point the scan found. It prints every evaluation (the four values, then the columns of
``scan.py`` from the objective on) and writes the best values to ``refit.json`` beside this file, which
``compare.py`` judges on other seeds.

    PYTHONPATH=src python docs/calibration/experiments/travel_block_2021/refit.py
"""

import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import at_fit_settings, scan_line  # noqa: E402

from sim.calibration.fit import FREE_PARAMETERS, stretch, unstretch  # noqa: E402
from sim.calibration.objective import score  # noqa: E402
from sim.executors import make_executor  # noqa: E402
from sim.levers import CovidDisruption  # noqa: E402
from sim.parameters import load_calibration  # noqa: E402
from sim.scenario import SHIPPED_SCENARIOS, Scenario  # noqa: E402

HERE = Path(__file__).parent
START = dt.date(2020, 7, 1)
BOUNDS = {"travel_share": (0.01, 0.99), "travel_days": (1.0, 365.0),
          "capacity_nareis[2020]": FREE_PARAMETERS["capacity_nareis[2020]"],
          "capacity_nareis[2021]": FREE_PARAMETERS["capacity_nareis[2021]"]}


def second_period(base: Scenario, until: dt.date, share: float) -> dict[str, list[CovidDisruption]]:
    """The baseline's ``covid_disruption`` periods and after them a second one, from 1 July 2020 to ``until``, in
    which ``share`` of the journeys wait and no filing does (a rule update for ``Rules.model_copy``)."""
    second = CovidDisruption.model_validate({"from": START, "until": until, "travel_blocked_share": share,
                                              "filing_blocked_share": 0})
    return {"covid_disruption": [*base.rules.covid_disruption, second]}


def scenario(base: Scenario, shipped: dict[str, float], values: dict[str, float]) -> Scenario:
    """The baseline at the shipped calibration with the second period and the two capacities of ``values``."""
    until = START + dt.timedelta(days=round(values["travel_days"]) - 1)
    rules = base.rules.model_copy(update=second_period(base, until, values["travel_share"]))
    params = {**base.parameters, **shipped, **{k: v for k, v in values.items() if k.startswith("capacity")}}
    return base.model_copy(update={"parameters": params, "rules": rules})


if __name__ == "__main__":
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    shipped = load_calibration()["parameters"]
    start = {"travel_share": 0.3, "travel_days": 184.0, "capacity_nareis[2020]": shipped["capacity_nareis[2020]"],
             "capacity_nareis[2021]": shipped["capacity_nareis[2021]"]}
    names = list(BOUNDS)
    best: dict[str, object] = {"objective": np.inf}
    executor = make_executor(2)

    def f(z: np.ndarray) -> float:
        """The objective at ``z`` (the four values on the stretched scale); prints the run's line."""
        values = {n: unstretch(float(zi), BOUNDS[n]) for n, zi in zip(names, z, strict=True)}
        result = at_fit_settings(scenario(base, shipped, values), executor)
        total = score(result)[0]
        shown = ", ".join(f"{n} {v:.3f}" for n, v in values.items())
        print(f"{shown} | {scan_line(result)}", flush=True)
        if total < best["objective"]:
            best.update(objective=total, values=values)
        return total

    try:
        z0 = np.array([stretch(start[n], BOUNDS[n]) for n in names])
        minimize(f, z0, method="Powell", options={"maxfev": 90, "xtol": 0.05, "ftol": 0.5})
    finally:
        executor.close()
    (HERE / "refit.json").write_text(json.dumps(best, indent=1) + "\n")
    print(f"best: {best}")
