"""Relatives of Art. 8 entrants (``relatives.patch``), scanned at the shipped calibration.

The patch gives every partner and separated parent in the potential family tree a Poisson number of relatives
of their own abroad (mean ``art8_entrant_relatives_mean``; 0, the prior, is the shipped model), outside the
nareis circle. Once that partner or parent has come under Art. 8, they apply under Art. 8 for each such relative
with probability ``art8_entrant_relative_prob`` (0.5, an assumption): an Art. 8-after-Art. 8 application, with
that row's odds ratio. Those who came by nareis never apply for them, and the relatives do not count as family
abroad for an own asylum claim (nareis is not open to them). Every run is at the calibration's own settings (4
replications at scale 0.5, seed 20240216; common random numbers) and prints the objective and its parts under
``cell``, the Art. 8-after-nareis and Art. 8-after-Art. 8 applications and grants and the nareis-after-Art. 8
applications (published: 330, 180, 230, 180, 120 and 110, 50, 60, 20, <10 (2019-2023); 110, 70, 40, 20 and 70,
60, 10, - (2020-2023); <10, 40, 20, 40).

    git apply docs/calibration/experiments/art8_entrant_relatives/relatives.patch
    PYTHONPATH=src python docs/calibration/experiments/art8_entrant_relatives/scan.py [soon]

With ``soon`` the relatives are also applied for from the entrant's arrival, after an exponential delay with mean
``art8_entrant_relatives_delay_mean_days`` (0, the prior, leaves only the way above), even while the entrant's own
asylum claim is pending: the row's applications of a year follow the Art. 8-after-nareis grants of the year
before, which needs a short lag.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import at_fit_settings, scan_parts  # noqa: E402

from sim.executors import make_executor  # noqa: E402
from sim.parameters import load_calibration  # noqa: E402
from sim.scenario import SHIPPED_SCENARIOS, Scenario  # noqa: E402

ODDS = "art8_grant_odds_ratio_after_art8"
MEAN, DELAY = "art8_entrant_relatives_mean", "art8_entrant_relatives_delay_mean_days"
#: ``scan.py`` (output ``scan.txt``): the mean, applied for with the entrant's own family; ``scan.py soon``
#: (``scan_soon.txt``): also applied for soon after arrival, whatever the entrant's own asylum claim.
GRIDS = {
    "mean": [{MEAN: m, ODDS: odds} for odds in (None, 8.0) for m in (0.0, 0.5, 1.0, 2.0, 3.0)],
    "soon": [{MEAN: m, DELAY: d, ODDS: odds} for odds in (None, 8.0) for d in (60.0, 180.0) for m in (0.5, 1.0, 2.0)],
}
SERIES = (("art8_after_nareis", "applications"), ("art8_after_nareis", "grants"),
          ("art8_after_art8", "applications"), ("art8_after_art8", "grants"), ("nareis_after_art8", "applications"))


def scenario_at(values: dict[str, float | None]) -> Scenario:
    """The baseline at the shipped calibration with ``values`` (a value of None keeps the shipped one)."""
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    chosen = {k: v for k, v in values.items() if v is not None}
    return base.model_copy(update={"parameters": {**base.parameters, **load_calibration()["parameters"], **chosen}})


if __name__ == "__main__":
    grid = GRIDS[sys.argv[1] if len(sys.argv) > 1 else "mean"]
    executor = make_executor(2)
    print("values | objective: total, -cells, secondary | " + " | ".join(f"{r} {m}" for r, m in SERIES))
    try:
        for values in grid:
            parts = scan_parts(at_fit_settings(scenario_at(values), executor), SERIES)
            label = ", ".join(f"{k} {'shipped' if v is None else f'{v:g}'}" for k, v in values.items())
            print(f"{label} | {parts}", flush=True)
    finally:
        executor.close()
