"""Seed-1 rows of the minor-siblings variant fitted at scale 0.5, beside the shipped calibration's: the AMV-sibling
table's cells and column totals, at the fit report's setting (10 replications at scale 0.5, seed 1).

    git apply docs/calibration/experiments/amv_minor_siblings/amv_minor_siblings.patch
    PYTHONPATH=src python docs/calibration/experiments/amv_minor_siblings/rows_seed1_half.py
"""

from pathlib import Path

from sim.calibration.report import fit_report
from sim.calibration.targets import load_targets
from sim.parameters import load_calibration
from sim.scenario import SHIPPED_SCENARIOS, Scenario

if __name__ == "__main__":
    variant = load_calibration(Path(__file__).parent / "calibrated_half.yaml")
    sets = {"shipped": {**load_calibration()["parameters"], "amv_minor_sibling_family_share": 0.0},
            "minor_siblings": dict(variant["parameters"])}
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml").with_run(
        replications=10, scale=0.5, seed=1, horizon=load_targets().reference_date)
    means: dict[str, dict[tuple[str, str, str, str], float]] = {}
    published: dict[tuple[str, str, str, str], str] = {}
    for name, params in sets.items():
        scenario = base.model_copy(update={"parameters": {**base.parameters, **params}})
        means[name] = {}
        for view in fit_report(scenario, workers=2).cells:
            c = view.cell
            if c.table == "amv_sibling" and c.kind in ("cell", "column_total", "pending"):
                key = ("+".join(c.flows), c.measure, c.years_text, c.kind)
                means[name][key] = view.mean
                published[key] = c.published
    print("flows | measure | years | kind | published | shipped | minor siblings")
    for key, pub in published.items():
        print(" | ".join(key) + f" | {pub} | {means['shipped'][key]:.1f} | {means['minor_siblings'][key]:.1f}")
