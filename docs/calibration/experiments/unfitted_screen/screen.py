"""The values ``sim calibrate`` does not fit (``sim.calibration.fit.UNFITTED``), profiled at the shipped calibration.

They were left out because their profiles were flat in an earlier calibration. This script steps each one by the
calibration's profile step (``PROFILE_STEP`` on the stretched-logit scale, within the bounds below: those of the
fitted values of the same kind) up and down from its prior, with every fitted value as shipped, at the
calibration's own settings (4 replications at scale 0.5, seed 20240216; common random numbers), and prints the
objective's rise each way and the profile's shape as ``sim calibrate`` would name it.

    PYTHONPATH=src python docs/calibration/experiments/unfitted_screen/screen.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import at_fit_settings  # noqa: E402

from sim.calibration.fit import PROFILE_STEP, UNFITTED, profile_shape, stretch, unstretch  # noqa: E402
from sim.calibration.objective import score  # noqa: E402
from sim.executors import make_executor  # noqa: E402
from sim.parameters import load_calibration, prior_value  # noqa: E402
from sim.scenario import SHIPPED_SCENARIOS, Scenario  # noqa: E402

#: Bounds (natural units) of each unfitted value: the bounds ``sim calibrate`` gives the fitted values of its kind.
BOUNDS = {"asylum_grant_share": (0.15, 0.95), "capacity_asylum": (500.0, 6000.0), "art8_prob_new_family": (0.01, 0.99),
          "art8_prob_own_family": (0.01, 0.99)}


def stepped(name: str, x: float, step: float) -> float:
    """``x`` moved by ``step`` on the stretched-logit scale of its bounds."""
    bounds = BOUNDS[name.split("[")[0]]
    return unstretch(stretch(x, bounds) + step, bounds)


if __name__ == "__main__":
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    shipped = load_calibration()["parameters"]
    executor = make_executor(2)

    def objective(values: dict[str, float]) -> float:
        """The fit's objective with the shipped calibration and ``values``."""
        scenario = base.model_copy(update={"parameters": {**base.parameters, **shipped, **values}})
        return score(at_fit_settings(scenario, executor))[0]

    try:
        best = objective({})
        print(f"shipped calibration: objective {best:.2f}")
        print("value | prior | down to | up to | rise down | rise up | shape")
        for name in UNFITTED:
            x = prior_value(name)
            down, up = stepped(name, x, -PROFILE_STEP), stepped(name, x, PROFILE_STEP)
            rise_down, rise_up = objective({name: down}) - best, objective({name: up}) - best
            print(f"{name} | {x:g} | {down:.4g} | {up:.4g} | {rise_down:.2f} | {rise_up:.2f} | "
                  f"{profile_shape(rise_up, rise_down)}", flush=True)
    finally:
        executor.close()
