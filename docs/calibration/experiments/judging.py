"""Judge parameter sets on several seeds as ``sim fit-report`` judges a run: shared by the experiments' scripts.

Each set runs the baseline with its values at the fit report's setting (10 replications at scale 0.5) on each
seed; each run is scored by the log-likelihood with ``cell`` and with ``cell_mc``, by the latter minus the
secondary targets' terms of the fit's objective (``cell_mc_secondary``: the objective with ``cell_mc``, negated;
added after the outputs written before "Why the two judges disagree" in docs/calibration.md), and by how many
figures meet each band. A script in a folder beside this file imports it after
``sys.path.insert(0, str(Path(__file__).parents[1]))``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np

from sim.calibration.fit import calibrate
from sim.calibration.likelihood import log_likelihood, secondary_values
from sim.calibration.objective import score, secondary_objective
from sim.calibration.report import BACKLOG_DATE, fit_report
from sim.calibration.targets import load_targets
from sim.executors import make_executor
from sim.parameters import load_calibration, prior_value
from sim.runner import RunResult, run_scenario
from sim.scenario import SHIPPED_SCENARIOS, Scenario

BANDS = ("cells", "totals", "pending", "arrivals")
#: The stacked series the scans print: (row, measure), 2019-2023.
SCAN_SERIES = (("nareis_on_nareis", "applications"), ("nareis_on_nareis", "grants"),
               ("art8_after_nareis", "applications"))
SCAN_HEADER = ("objective: total, -cells, secondary | "
               + " | ".join(f"{t} {k} 2019-2023" for t, k in SCAN_SERIES) + " | CBS arrivals 2019-2021")
MEASURES = ("cell", "cell_mc", "cell_mc_secondary", *BANDS)
#: The value the rule scans run at its shipped and at its prior value.
CAPACITY_2020 = "capacity_nareis[2020]"


def judge_on_seeds(sets: dict[str, dict[str, float]], seeds: Iterable[int], replications: int = 10,
                   scale: float = 0.5, rules: dict[str, dict[str, list[Any]]] | None = None,
                   ) -> dict[str, dict[str, list[float]]]:
    """Every set on every seed, one printed line per run; the scores by set and measure, in the order of seeds.

    ``rules`` (optional): set name -> rule name -> periods that replace the baseline's periods of that rule for
    that set (a scenario change that is not a parameter value)."""
    targets = load_targets()
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    scores: dict[str, dict[str, list[float]]] = {n: {k: [] for k in MEASURES} for n in sets}
    executor = make_executor(2)
    try:
        print("seed | set | log-likelihood (cell) | log-likelihood (cell_mc) | cell_mc minus the secondary terms | "
              "cells | totals | pending | CBS years")
        for seed in seeds:
            run = base.with_run(replications=replications, scale=scale, seed=seed, horizon=targets.reference_date)
            for name, params in sets.items():
                scenario = run.model_copy(update={"parameters": {**run.parameters, **params}})
                if rules and name in rules:
                    scenario = scenario.model_copy(update={"rules": run.rules.model_copy(update=rules[name])})
                result = run_scenario(scenario, (BACKLOG_DATE, targets.reference_date, run.run.horizon),
                                      executor=executor)
                ref = result.as_of.index(targets.reference_date)
                for dispersion in ("cell", "cell_mc"):
                    ll, _ = log_likelihood(targets, result.cohorts, result.years, ref, scale, dispersion=dispersion)
                    scores[name][dispersion].append(ll)
                # The fit's objective with cell_mc for the cells, negated: the secondary targets as likelihood too.
                scores[name]["cell_mc_secondary"].append(scores[name]["cell_mc"][-1] - secondary_objective(result))
                bands = {b.key: b for b in fit_report(scenario, result=result).bands()}
                for key in BANDS:
                    scores[name][key].append(bands[key].met)
                print(f"{seed} | {name} | {scores[name]['cell'][-1]:.1f} | {scores[name]['cell_mc'][-1]:.1f} | "
                      f"{scores[name]['cell_mc_secondary'][-1]:.1f} | "
                      + " | ".join(str(bands[k].met) for k in BANDS), flush=True)
    finally:
        executor.close()
    return scores


def print_summary(scores: dict[str, dict[str, list[float]]], against: str) -> None:
    """Each set's mean and sd of every measure, then every other set minus ``against``, paired by seed."""
    print("\nset | " + " | ".join(f"{k} mean (sd)" for k in MEASURES))
    for name, s in scores.items():
        print(f"{name} | " + " | ".join(f"{np.mean(s[k]):.1f} ({np.std(s[k], ddof=1):.1f})" for k in MEASURES))
    for name in scores:
        if name == against:
            continue
        for k in MEASURES:
            d = np.array(scores[name][k]) - np.array(scores[against][k])
            se = d.std(ddof=1) / np.sqrt(len(d))
            print(f"{name} minus {against}, {k}: {d.mean():+.2f} (standard error {se:.2f}), "
                  f"higher on {int((d > 0).sum())} of {len(d)} seeds")


def print_search_record(manifest: dict[str, Any]) -> None:
    """A calibration manifest's record of its search: every block and round, then the values no round reached."""
    print("\nround  block                values  budget  used  passes  values searched  improvement")
    for s in manifest["search"]:
        print(f"{s['round']:>5}  {s['block']:<20} {s['values']:>6}  {s['budget']:>6}  {s['evaluations']:>4}  "
              f"{s['passes']:>6}  {s['values_searched']:>15}  {s['improvement']:>11.3f}")
    print(f"\nnot searched in any round: {manifest['not_searched'] or 'none'}")


def print_misses(sets: dict[str, dict[str, float]], seeds: Iterable[int]) -> None:
    """Every set on every seed at the fit report's setting: the table totals and pending counts it misses, as the
    fit report words them (one line per seed, set and band)."""
    targets = load_targets()
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    executor = make_executor(2)
    try:
        for seed in seeds:
            run = base.with_run(replications=10, scale=0.5, seed=seed, horizon=targets.reference_date)
            for name, params in sets.items():
                scenario = run.model_copy(update={"parameters": {**run.parameters, **params}})
                result = run_scenario(scenario, (BACKLOG_DATE, targets.reference_date, run.run.horizon),
                                      executor=executor)
                bands = {b.key: b for b in fit_report(scenario, result=result).bands()}
                for key in ("totals", "pending"):
                    print(f"{seed} | {name} | {key} | {bands[key].met} | {'; '.join(bands[key].misses)}", flush=True)
    finally:
        executor.close()


def compare_with_shipped(name: str, calibration: Path, seeds: Iterable[int] = range(1, 11)) -> None:
    """Judge the shipped calibration and the one in ``calibration`` (called ``name``) on ``seeds``; print both."""
    sets = {"shipped": dict(load_calibration()["parameters"]),
            name: dict(load_calibration(calibration)["parameters"])}
    print_summary(judge_on_seeds(sets, seeds), against="shipped")


def at_fit_settings(scenario: Scenario, executor: object) -> RunResult:
    """``scenario`` (the baseline with candidate values) run as the shipped calibration ran its candidates."""
    m = load_calibration()["manifest"]
    targets = load_targets()
    run = scenario.with_run(replications=m["replications"], scale=m["scale"], seed=m["seed"],
                            horizon=targets.reference_date)
    return run_scenario(run, (BACKLOG_DATE, targets.reference_date), executor=executor)


def scan_parts(result: RunResult, series: Iterable[tuple[str, str]] = SCAN_SERIES) -> str:
    """A run's objective and its parts (``cell``), then the model's mean of every cell of each (row, measure) in
    ``series``, in the order of years, one column each."""
    total, ll, sec = score(result)
    _, views = log_likelihood(load_targets(), result.cohorts, result.years, 1, result.scenario.run.scale)
    cells = sorted((v for v in views if v.cell.kind == "cell"), key=lambda v: v.cell.years[0])
    columns = [", ".join(f"{v.mean:.0f}" for v in cells if v.cell.flows[0] == row and v.cell.measure == measure)
               for row, measure in series]
    return f"{total:.2f}, {-ll:.2f}, {sec:.2f} | " + " | ".join(columns)


def scan_grid(grid: Iterable[dict[str, float]], series: Iterable[tuple[str, str]],
              scenario_at: Callable[[dict[str, float]], Scenario]) -> None:
    """Print a header, then for every set of values in ``grid`` the values and the :func:`scan_parts` of
    ``scenario_at(values)`` run at the calibration's own settings (one line each, as it is done)."""
    series = tuple(series)
    executor = make_executor(2)
    print("values | objective: total, -cells, secondary | " + " | ".join(f"{r} {m}" for r, m in series))
    try:
        for values in grid:
            parts = scan_parts(at_fit_settings(scenario_at(values), executor), series)
            print(", ".join(f"{k} {v:g}" for k, v in values.items()) + f" | {parts}", flush=True)
    finally:
        executor.close()


def scan_line(result: RunResult) -> str:
    """A run's objective and its parts (``cell``), the stacked series 2019-2023 and the CBS arrivals 2019-2021."""
    arrivals = secondary_values(result.yearly, result.years)
    cbs = ", ".join(f"{arrivals[f'cbs_nareis_arrivals[{y}]'].mean():,.0f}" for y in range(2019, 2022))
    return f"{scan_parts(result)} | {cbs}"


def scan_rule_variants(heading: str, variants: Iterable[tuple[str, dict[str, list[Any]] | None]]) -> None:
    """Print a :func:`scan_line` for every rule variant at the shipped calibration, each at the shipped and at the
    prior nareis decisions of 2020, at the calibration's own settings.

    ``heading``: the header of the variant's label columns. ``variants``: (label, rule name -> periods that replace
    the baseline's periods of that rule, or None for the baseline's rules as they are).
    """
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    shipped = load_calibration()["parameters"]
    executor = make_executor(2)
    print(f"{heading} | {CAPACITY_2020} | {SCAN_HEADER}")
    try:
        for (label, update), capacity in product(variants, (shipped[CAPACITY_2020], prior_value(CAPACITY_2020))):
            rules = base.rules.model_copy(update=update) if update else base.rules
            values = {**base.parameters, **shipped, CAPACITY_2020: capacity}
            result = at_fit_settings(base.model_copy(update={"parameters": values, "rules": rules}), executor)
            print(f"{label} | {capacity:.1f} | {scan_line(result)}", flush=True)
    finally:
        executor.close()


def fit_as_shipped(out: Path, record: dict[str, Any], **options: Any) -> None:
    """Fit as ``make calibrate`` does (4 replications at scale 0.5, seed 20240216, 600 evaluations, two rounds,
    each cell's own variance) but without the profiles and the ensemble, scoring the start and the best set on five
    held-out seeds; ``options`` go to :func:`sim.calibration.fit.calibrate` and override these. Prints the progress
    every 10 evaluations and writes ``record``, then the best set and its scores, to ``out`` as JSON."""
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml").with_run(
        replications=4, scale=0.5, seed=20240216, horizon=load_targets().reference_date)
    settings: dict[str, Any] = {"max_evaluations": 600, "ensemble_size": 0, "cycles": 2, "profiles": False,
                                "held_out_seeds": 5, **options}
    executor = make_executor(2)
    t0 = time.perf_counter()
    try:
        cal = calibrate(base, executor, **settings,
                        progress=lambda phase, n, best: print(phase, n, f"{best:.2f}", flush=True)
                        if n % 10 == 0 else None)
    finally:
        executor.close()
    result = {**record, "best_objective": cal.best_objective, "start_objective": cal.evaluations[0].objective,
              "evaluations": len(cal.evaluations), "wall_seconds": round(time.perf_counter() - t0, 1),
              "held_out": cal.held_out, "best": cal.best}
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "best"}, indent=1))
