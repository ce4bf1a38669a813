"""Seed-1 rows of the COVID-19 variant fitted at scale 0.5: the nareis-on-nareis and Art. 8-after-nareis cells and
the CBS arrivals of 2020-2021, at the fit report's setting (10 replications at scale 0.5, seed 1).

    git apply docs/calibration/experiments/covid_fitted/covid_fitted.patch
    PYTHONPATH=src python docs/calibration/experiments/covid_fitted/rows_seed1_half.py
"""

from pathlib import Path

from sim.calibration.report import fit_report
from sim.calibration.targets import load_targets
from sim.parameters import load_calibration
from sim.scenario import SHIPPED_SCENARIOS, Scenario

if __name__ == "__main__":
    variant = load_calibration(Path(__file__).parent / "calibrated_half.yaml")
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml").with_run(
        replications=10, scale=0.5, seed=1, horizon=load_targets().reference_date)
    scenario = base.model_copy(update={"parameters": {**base.parameters, **variant["parameters"]}})
    report = fit_report(scenario, workers=2)
    print("table | measure | year | published | model mean")
    for view in report.cells:
        if view.cell.table in ("nareis_on_nareis", "art8_after_nareis") and view.cell.kind == "cell":
            c = view.cell
            print(f"{c.table} | {c.measure} | {c.years_text} | {c.published} | {view.mean:.0f}")
    for s in report.secondary:
        if s.name.endswith(("2020", "2021")) and s.name.startswith("CBS"):
            print(f"{s.name} | {s.target:,.0f} | {s.model_mean:,.0f}")
