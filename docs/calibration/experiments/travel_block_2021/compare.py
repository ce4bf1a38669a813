"""Judge the shipped calibration and the local refit of ``refit.py`` (its ``refit.json``) on seeds 1 to 10.

The refit is the shipped calibration with the nareis decisions of 2020 and 2021 from ``refit.json`` and the second
``covid_disruption`` period it found; both run at the fit report's setting (10 replications at scale 0.5).
Output as in ``art8_without_waiting/compare_half.py``.

    PYTHONPATH=src python docs/calibration/experiments/travel_block_2021/compare.py
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import judge_on_seeds, print_summary  # noqa: E402
from refit import scenario  # noqa: E402

from sim.parameters import load_calibration  # noqa: E402
from sim.scenario import SHIPPED_SCENARIOS, Scenario  # noqa: E402

if __name__ == "__main__":
    values = json.loads((Path(__file__).parent / "refit.json").read_text())["values"]
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    shipped = dict(load_calibration()["parameters"])
    refit = scenario(base, shipped, values)
    sets = {"shipped": shipped, "travel_block": {k: v for k, v in refit.parameters.items() if k in shipped}}
    print(f"travel_block: {values}")
    print_summary(judge_on_seeds(sets, range(1, 11),
                                 rules={"travel_block": {"covid_disruption": refit.rules.covid_disruption}}),
                  against="shipped")
