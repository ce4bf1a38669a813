"""Who the Art. 8-after-Art. 8 and Art. 8-after-nareis applications are for, in the shipped model.

The baseline with the shipped calibration, 4 replications at scale 0.5, seed 1, to the reference date. For each of
the two rows: the sponsor's kind, the flow by which the sponsor came, the member's kind and relation; then the
applications by filing year and the grants by decision year 2016-2023, at real size (divided by the scale and the
number of replications).

    PYTHONPATH=src python docs/calibration/experiments/art8_after_art8_sources/breakdown.py
"""

from collections import Counter, defaultdict

import numpy as np

from sim.calibration.targets import load_targets
from sim.codes import FLOWS, GRANTED, KINDS, RELATIONS
from sim.parameters import load_calibration
from sim.records import classify
from sim.runner import simulate
from sim.scenario import SHIPPED_SCENARIOS, Scenario

REPLICATIONS, SCALE = 4, 0.5
ROWS = ("art8_after_art8", "art8_after_nareis")

if __name__ == "__main__":
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml").with_run(
        replications=REPLICATIONS, scale=SCALE, seed=1, horizon=load_targets().reference_date)
    base = base.model_copy(update={"parameters": {**base.parameters, **load_calibration()["parameters"]}})
    counts: Counter[tuple[str, ...]] = Counter()
    for r in range(REPLICATIONS):
        sim = simulate(base, r)
        apps, people = sim.result.applications, sim.people
        flow = classify(apps)
        first_year = sim.params.years[0]

        def year_of(days: np.ndarray, starts: np.ndarray = sim.year_starts, first: int = first_year) -> np.ndarray:
            """Calendar year of each day number."""
            return first + np.searchsorted(starts, days, side="right") - 1

        filed = year_of(apps.filed)
        decided = year_of(np.nan_to_num(apps.decided))
        came_by = {int(apps.person[i]): FLOWS[flow[i]] for i in np.flatnonzero(apps.outcome == GRANTED)}
        for row in ROWS:
            for i in np.flatnonzero(flow == FLOWS.index(row)):
                s, m = int(apps.sponsor[i]), int(apps.person[i])
                key = (row, KINDS[people.kind[s]], came_by.get(s, "?"), KINDS[people.kind[m]],
                       RELATIONS[apps.relation[i]])
                counts[(*key, "applications", str(filed[i]))] += 1
                if apps.outcome[i] == GRANTED:
                    counts[(*key, "grants", str(decided[i]))] += 1
    table: defaultdict[tuple[str, ...], dict[str, float]] = defaultdict(dict)
    for key, n in counts.items():
        table[key[:-1]][key[-1]] = n / REPLICATIONS / SCALE
    print("row | sponsor | sponsor came by | member | relation | measure | 2016-2023")
    for key in sorted(table):
        print(" | ".join(key) + " | " + ", ".join(f"{table[key].get(str(y), 0):.0f}" for y in range(2016, 2024)))
