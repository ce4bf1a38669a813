"""The Art. 8-after-Art. 8 and nareis-on-nareis rows on seed 1, shipped against the variant fitted at scale 0.5.

Runs on the model with ``art8_at_once.patch`` applied, at the fit report's setting (10 replications at scale
0.5, seed 1), the shipped calibration with ``art8_entrant_at_once_share`` at 0 and ``calibrated_half.yaml``. Prints
each cell, row total and pending count of the two rows (published figure and model mean) and the CBS nareis
arrivals of 2020.

    git apply docs/calibration/experiments/art8_without_waiting/art8_at_once.patch
    PYTHONPATH=src python docs/calibration/experiments/art8_without_waiting/rows_seed1.py
"""

from pathlib import Path

from sim.calibration.likelihood import log_likelihood, secondary_values
from sim.calibration.report import BACKLOG_DATE
from sim.calibration.targets import load_targets
from sim.executors import make_executor
from sim.parameters import load_calibration
from sim.runner import run_scenario
from sim.scenario import SHIPPED_SCENARIOS, Scenario

if __name__ == "__main__":
    targets = load_targets()
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml").with_run(
        replications=10, scale=0.5, seed=1, horizon=targets.reference_date)
    variant = load_calibration(Path(__file__).parent / "calibrated_half.yaml")
    sets = {"shipped": {**load_calibration()["parameters"], "art8_entrant_at_once_share": 0.0},
            "art8_at_once": variant["parameters"]}
    executor = make_executor(2)
    print("set | table | kind | measure | first year | published | model mean")
    try:
        for name, values in sets.items():
            scenario = base.model_copy(update={"parameters": {**base.parameters, **values}})
            result = run_scenario(scenario, (BACKLOG_DATE, targets.reference_date), executor=executor)
            _, views = log_likelihood(targets, result.cohorts, result.years, 1, 0.5, dispersion="cell_mc")
            for v in views:
                c = v.cell
                if c.table in ("art8_after_art8", "nareis_on_nareis") and c.kind in ("cell", "row_total", "pending"):
                    print(f"{name} | {c.table} | {c.kind} | {c.measure} | {c.years[0]} | {c.published} | {v.mean:.1f}")
            arrivals = secondary_values(result.yearly, result.years)["cbs_nareis_arrivals[2020]"].mean()
            print(f"{name} | CBS nareis arrivals 2020 | {arrivals:,.0f}")
    finally:
        executor.close()
