"""Two more sources for the Art. 8-after-Art. 8 applications, each a patch, scanned at the shipped calibration.

- ``separated_parent_delay.patch``: the Art. 8 application for a separated other parent comes
  ``separated_parent_art8_delay_factor`` times the Art. 8 filing delay after the child could apply (1: the shipped
  model), so that the parents of the children of 2015-2017 would apply, and bring their new families, later;
- ``children_follow.patch``: a share ``young_adult_children_follow_partner_share`` of a young adult's minor
  children are not applied for with the partner under Art. 8 but by the partner once the partner has come (an
  Art. 8-after-Art. 8 application; 0: the shipped model), scanned with the Art. 8 propensity for a family
  migrant's own family (``art8_prob_own_family``, an assumption, 0.35) at two values.

Apply one patch, run this script; it scans the mechanism the model has. Every run is at the calibration's own
settings (4 replications at scale 0.5, seed 20240216; common random numbers) and prints the objective and its
parts under ``cell`` (the fit's dispersion), the Art. 8-after-nareis applications and grants 2019-2023 (published
330, 180, 230, 180, 120; 110, 50, 60, 20, <10) and the Art. 8-after-Art. 8 applications and grants 2020-2023
(110, 70, 40, 20; 70, 60, 10, -).

    git apply docs/calibration/experiments/art8_after_art8_sources/children_follow.patch
    PYTHONPATH=src python docs/calibration/experiments/art8_after_art8_sources/scan.py
"""

import sys
from itertools import product
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import at_fit_settings, scan_parts  # noqa: E402

from sim.executors import make_executor  # noqa: E402
from sim.parameters import load_calibration, load_model_parameters  # noqa: E402
from sim.scenario import SHIPPED_SCENARIOS, Scenario  # noqa: E402

GRIDS = {
    "separated_parent_art8_delay_factor": [
        {"separated_parent_art8_delay_factor": f} for f in (1.0, 2.0, 3.0, 5.0, 8.0)],
    "young_adult_children_follow_partner_share": [
        {"young_adult_children_follow_partner_share": s, "art8_prob_own_family": own}
        for own, s in product((0.35, 0.6), (0.0, 0.5, 1.0))],
}
SERIES = tuple((row, measure) for row in ("art8_after_nareis", "art8_after_art8")
               for measure in ("applications", "grants"))

if __name__ == "__main__":
    model = load_model_parameters()
    grid = next(g for name, g in GRIDS.items() if name in model)
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    shipped = load_calibration()["parameters"]
    executor = make_executor(2)
    print("values | objective: total, -cells, secondary | "
          + " | ".join(f"{row} {measure}" for row, measure in SERIES))
    try:
        for values in grid:
            scenario = base.model_copy(update={"parameters": {**base.parameters, **shipped, **values}})
            parts = scan_parts(at_fit_settings(scenario, executor), SERIES)
            print(", ".join(f"{k} {v:g}" for k, v in values.items()) + f" | {parts}", flush=True)
    finally:
        executor.close()
