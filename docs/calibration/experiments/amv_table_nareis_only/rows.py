"""The entry-route rows of Art. 8 entrants split by sponsor, at the nareis-only reading's calibration.

One run of the baseline with ``calibrated.yaml`` (this folder) at the fit report's setting (10 replications at
scale 0.5, seed 1), horizon 31 December 2023, on the patched code (``nareis_only.patch``). For nareis after Art. 8
and Art. 8 after Art. 8 it prints the applications by filing year 2020-2023, per replication at full scale: all,
and those whose sponsor is an AMV's adult sibling (counted in the AMV-sibling rows before the patch). Published:
nareis after Art. 8 <10, 40, 20, 40; Art. 8 after Art. 8 110, 70, 40, 20.

    PYTHONPATH=src python docs/calibration/experiments/amv_table_nareis_only/rows.py > rows.txt
"""

from pathlib import Path

import numpy as np

from sim.calibration.targets import load_targets
from sim.codes import FLOWS
from sim.parameters import load_calibration
from sim.records import classify
from sim.runner import simulate
from sim.scenario import SHIPPED_SCENARIOS, Scenario

YEARS = range(2020, 2024)
ROWS = ("nareis_after_art8", "art8_after_art8")

if __name__ == "__main__":
    values = load_calibration(Path(__file__).parent / "calibrated.yaml")["parameters"]
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    run = base.with_run(replications=10, scale=0.5, seed=1, horizon=load_targets().reference_date)
    scenario = run.model_copy(update={"parameters": {**run.parameters, **values}})
    counts = {(row, who): np.zeros(len(YEARS)) for row in ROWS for who in ("all", "adult siblings of an AMV")}
    for r in range(run.run.replications):
        sim = simulate(scenario, r)
        a = sim.result.applications
        flows = classify(a)
        filed = np.searchsorted(sim.year_starts, a.filed, side="right") - 1 + scenario.run.start.year
        for row in ROWS:
            mine = flows == FLOWS.index(row)
            for who, mask in (("all", mine), ("adult siblings of an AMV", mine & a.sponsor_amv_sibling.astype(bool))):
                counts[(row, who)] += [np.sum(mask & (filed == y)) for y in YEARS]
    scale = run.run.replications * run.run.scale
    print("row | sponsors | applications " + ", ".join(map(str, YEARS)) + " (mean per replication, full scale)")
    for (row, who), c in counts.items():
        print(f"{row} | {who} | " + ", ".join(f"{v / scale:.1f}" for v in c))
