"""How much the calibration's uncertainty adds to the bands, in the fit and in the projection.

`sim run --parameter-uncertainty` and `sim fit-report --parameter-uncertainty` give replication r the values of
ensemble member r, so their 90% intervals hold the calibration's uncertainty (as far as the ensemble represents it)
as well as random variation. This script runs the baseline both ways on the same seeds and compares:

1. the fit report on ten seeds (the report's settings: scale 0.5, the reference date; 20 replications, one per
   member): cells covered, table totals met and log-likelihood (`cell_mc`), and how much wider the cells' 90%
   intervals are with the members (median and range over the 52 cells of the ratio of widths);
2. the projection at the baseline's own settings (20 replications at full size, to 2035, seed as shipped): each
   flow's applications 2027-2035, mean and 90% interval, as `sim run` prints them;
3. the effects of two shipped scenarios at the same settings: their paired differences from the baseline in
   applications 2027-2035 (replication r of both on the same member), as `comparison.csv` holds them.

Run from the repository: `python docs/calibration/parameter_uncertainty.py > docs/calibration/parameter_uncertainty.txt`
(about 25 minutes on 2 cores).
"""

import numpy as np

from sim.app.terms import STACKED_FLOWS as STACKED
from sim.calibration.report import fit_report
from sim.calibration.targets import load_targets
from sim.codes import FLOWS, MEASURES
from sim.parameters import load_calibration
from sim.runner import RunResult, default_as_of, run_scenario
from sim.scenario import SHIPPED_SCENARIOS, Scenario

SEEDS = range(1, 11)
FIT_REPLICATIONS = 20
FIT_SCALE = 0.5
PROJECTION_YEARS = (2027, 2035)
#: Shipped scenarios whose effects (paired differences from the baseline) part 3 compares.
EFFECT_SCENARIOS = ("stacking_ban_nareis", "pre_2026_rules")


def _widths(report) -> np.ndarray:
    return np.array([v.high90 - v.low90 for v in report.cells if v.cell.kind == "cell"], dtype=float)


def fit_part(base: Scenario) -> None:
    """Part 1: the fit report on every seed, with the best set and with the members."""
    print(f"1. Fit report, {FIT_REPLICATIONS} replications at scale {FIT_SCALE}, cell_mc; plain = best set only, "
          f"members = one ensemble member per replication")
    print("seed  cells covered (plain, members)  totals met (plain, members)  log-likelihood (plain, members)  "
          "width ratio of the cells' 90% intervals: median [min-max]")
    covered, totals, ll, ratios = [], [], [], []
    for seed in SEEDS:
        scenario = base.with_run(seed=seed)
        plain = fit_report(scenario, workers=2)
        drawn = fit_report(scenario.with_run(parameter_uncertainty=True), workers=2)
        w_plain, w_drawn = _widths(plain), _widths(drawn)
        ratio = w_drawn[w_plain > 0] / w_plain[w_plain > 0]
        ratios.append(ratio)
        band = {r.key: r for r in plain.bands()}, {r.key: r for r in drawn.bands()}
        covered.append((band[0]["cells"].met, band[1]["cells"].met))
        totals.append((band[0]["totals"].met, band[1]["totals"].met))
        ll.append((plain.log_likelihood, drawn.log_likelihood))
        print(f"{seed:>4}  {covered[-1][0]:>13} {covered[-1][1]:>8}  {totals[-1][0]:>18} {totals[-1][1]:>8}  "
              f"{ll[-1][0]:>22.1f} {ll[-1][1]:>8.1f}  {np.median(ratio):>10.2f} [{ratio.min():.2f}-{ratio.max():.2f}]",
              flush=True)
    c, t, lls = np.array(covered, float), np.array(totals, float), np.array(ll)
    all_ratios = np.concatenate(ratios)
    print(f"mean  {c[:, 0].mean():>13.1f} {c[:, 1].mean():>8.1f}  {t[:, 0].mean():>18.1f} {t[:, 1].mean():>8.1f}  "
          f"{lls[:, 0].mean():>22.1f} {lls[:, 1].mean():>8.1f}  {np.median(all_ratios):>10.2f} (all seeds' cells)")
    d = lls[:, 1] - lls[:, 0]
    se = d.std(ddof=1) / np.sqrt(len(d))
    print(f"log-likelihood, members minus plain: {d.mean():+.1f} (standard error {se:.1f}),"
          f" higher on {int((d > 0).sum())} of {len(d)} seeds; cells covered, members minus plain: "
          f"{(c[:, 1] - c[:, 0]).mean():+.1f}")


def _both(scenario: Scenario) -> dict[str, RunResult]:
    """The scenario run with the best set and with the members."""
    return {label: run_scenario(sc, default_as_of(sc), workers=2)
            for label, sc in (("plain", scenario), ("members", scenario.with_run(parameter_uncertainty=True)))}


def _projection_totals(result: RunResult) -> np.ndarray:
    """Applications over the projection years, shape (replications, flows)."""
    years = np.asarray(result.years)
    mask = (years >= PROJECTION_YEARS[0]) & (years <= PROJECTION_YEARS[1])
    return result.yearly[:, mask][..., MEASURES.index("applications")].sum(axis=1)


def _table(values: dict[str, np.ndarray], flows: tuple[str, ...], signed: bool = False) -> None:
    """Per flow: mean [90% interval] of each label's values, and the ratio of the intervals' widths."""
    fmt = "+,.0f" if signed else ",.0f"
    print(f"{'flow':<20} {'plain':>24} {'members':>24}  width ratio")
    for flow in flows:
        f = FLOWS.index(flow) if flow in FLOWS else None
        cells, widths = [], []
        for label in ("plain", "members"):
            v = values[label][:, f] if f is not None else values[label][:, [FLOWS.index(x) for x in STACKED]].sum(1)
            p05, p95 = np.percentile(v, [5, 95])
            cells.append(f"{v.mean():{fmt}} [{p05:{fmt}} to {p95:{fmt}}]")
            widths.append(p95 - p05)
        ratio = f"{widths[1] / widths[0]:.2f}" if widths[0] > 0 else "-"
        print(f"{flow:<20} {cells[0]:>24} {cells[1]:>24}  {ratio:>11}")


def projection_part(base: Scenario) -> dict[str, RunResult]:
    """Part 2: the baseline's applications in the projection years, with the best set and with the members."""
    run = base.run
    print(f"\n2. Projection: baseline, {run.replications} replications at scale {run.scale}, seed {run.seed}; "
          f"applications {PROJECTION_YEARS[0]}-{PROJECTION_YEARS[1]}, mean [90% interval]")
    results = _both(base)
    _table({k: _projection_totals(r) for k, r in results.items()}, FLOWS)
    return results


def effects_part(baseline: dict[str, RunResult]) -> None:
    """Part 3: two shipped scenarios' paired differences from the baseline, with the best set and with the members
    (replication r of both on the same member)."""
    for name in EFFECT_SCENARIOS:
        scenario = Scenario.from_yaml(SHIPPED_SCENARIOS / f"{name}.yaml")
        results = _both(scenario)
        print(f"\n3. {name} minus baseline, paired by replication: applications {PROJECTION_YEARS[0]}-"
              f"{PROJECTION_YEARS[1]}, mean [90% interval]")
        diffs = {k: _projection_totals(results[k]) - _projection_totals(baseline[k]) for k in results}
        _table(diffs, ("stacked", *STACKED, "nareis", "art8"), signed=True)


if __name__ == "__main__":
    calibration = load_calibration()
    m = calibration["manifest"]
    print(f"calibration: code {m['code_version']}, seed {m['seed']}, {len(calibration['ensemble'])} ensemble members")
    baseline = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    fit_part(baseline.with_run(replications=FIT_REPLICATIONS, scale=FIT_SCALE, horizon=load_targets().reference_date))
    effects_part(projection_part(baseline))
