"""The numbers the app shows, computed from two runs: pure functions returning numpy values or DataFrames.

Intervals are the 5th to 95th percentiles over replications. A difference is taken replication by replication
(scenario minus baseline, same seed: common random numbers) before its percentiles, so its interval holds what
the rules change, not the noise both runs share. A series is a flow or a group of flows summed per replication.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.app.terms import GROUPS, STACKED_FLOWS
from sim.calibration.fit import profile_shape
from sim.calibration.targets import Cell
from sim.codes import COHORT_OUTCOMES, FLOWS, MEASURES, RELATIONS, STATUSES
from sim.output import measure_applies
from sim.runner import RunResult
from sim.scenario import Scenario

__all__ = ["Stat", "flows_of", "applies", "series", "stat", "yearly_frame", "headline", "breakdown",
           "policy_starts", "REFERENCE_DATE", "cohort_index", "calibration_rows", "cbs_arrivals", "sankey_totals",
           "HISTORY_END", "FitQuality", "fit_quality"]

#: The IND tables' reference date, and the last year of history (data) before the projection.
REFERENCE_DATE = dt.date(2023, 12, 31)
HISTORY_END = 2023


@dataclass(frozen=True)
class Stat:
    """Mean and 90% interval over replications."""

    mean: float
    p05: float
    p95: float

    @classmethod
    def of(cls, values: np.ndarray) -> Stat:
        """From per-replication values."""
        p05, p95 = np.percentile(values, [5, 95])
        return cls(float(values.mean()), float(p05), float(p95))


def flows_of(key: str) -> tuple[str, ...]:
    """The flows a series key stands for (a flow, or a group of :data:`~sim.app.terms.GROUPS`)."""
    return GROUPS.get(key, (key,))


def applies(key: str, measure: str) -> bool:
    """Whether a measure exists for every flow of a series (no arrivals of asylum claims)."""
    return all(measure_applies(f, measure) for f in flows_of(key))


def series(result: RunResult, key: str, measure: str) -> np.ndarray:
    """Per-replication yearly values of a series, shape (replications, years)."""
    idx = [FLOWS.index(f) for f in flows_of(key)]
    return result.yearly[:, :, idx, MEASURES.index(measure)].sum(axis=2)


def _mask(result: RunResult, first: int, last: int) -> np.ndarray:
    years = np.asarray(result.years)
    return (years >= first) & (years <= last)


def stat(result: RunResult, key: str, measure: str, first: int, last: int) -> Stat:
    """The total over ``first..last`` of a series."""
    return Stat.of(series(result, key, measure)[:, _mask(result, first, last)].sum(axis=1))


def yearly_frame(base: RunResult, scen: RunResult, key: str, measure: str, labels: tuple[str, str]) -> pd.DataFrame:
    """Per year, for the baseline and the scenario: mean, p05, p95, and the paired difference.

    Columns: ``run`` (the labels), ``year``, ``date`` (1 July, the middle of the year), ``mean``, ``p05``,
    ``p95``; the difference rows have run ``difference``.
    """
    rows = []
    b, s = series(base, key, measure), series(scen, key, measure)
    for label, values in ((labels[0], b), (labels[1], s), ("difference", s - b)):
        p05, p95 = np.percentile(values, [5, 95], axis=0)
        for i, year in enumerate(base.years):
            rows.append((label, year, dt.date(year, 7, 1), float(values[:, i].mean()), float(p05[i]), float(p95[i])))
    frame = pd.DataFrame(rows, columns=["run", "year", "date", "mean", "p05", "p95"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def headline(base: RunResult, scen: RunResult, keys: tuple[str, ...], measure: str, first: int,
             last: int) -> list[tuple[str, Stat, Stat, Stat]]:
    """For each series: (key, baseline total, scenario total, paired difference) over ``first..last``."""
    mask = _mask(base, first, last)
    out = []
    for key in keys:
        if not applies(key, measure):
            continue
        b = series(base, key, measure)[:, mask].sum(axis=1)
        s = series(scen, key, measure)[:, mask].sum(axis=1)
        out.append((key, Stat.of(b), Stat.of(s), Stat.of(s - b)))
    return out


def breakdown(base: RunResult, scen: RunResult, key: str, measure: str, first: int, last: int,
              by: str) -> list[tuple[str, Stat, Stat, Stat]]:
    """Totals over ``first..last`` by the family member's relation (``by="relation"``) or the sponsor's status
    (``by="status"``): (category, baseline, scenario, paired difference). Categories that are zero in both runs
    are left out."""
    idx = [FLOWS.index(f) for f in flows_of(key)]
    m = MEASURES.index(measure)
    mask = _mask(base, first, last)
    axis, codes = (4, RELATIONS) if by == "relation" else (3, STATUSES)

    def per_category(result: RunResult) -> np.ndarray:
        # breakdown: (replications, years, flows, measures, relations, statuses)
        values = result.breakdown[:, mask][:, :, idx, m]  # (reps, years, flows, relations, statuses)
        return values.sum(axis=(1, 2, axis))  # over years, flows and the other category

    b, s = per_category(base), per_category(scen)
    out = []
    for c, code in enumerate(codes):
        if b[:, c].any() or s[:, c].any():
            out.append((code, Stat.of(b[:, c]), Stat.of(s[:, c]), Stat.of(s[:, c] - b[:, c])))
    return out


def policy_starts(scenario: Scenario, baseline: Scenario) -> list[tuple[str, dt.date]]:
    """The rules whose periods differ from the baseline's, with the dates their periods start (or, for a rule
    switched off, the date the baseline's period would have started)."""
    out = []
    mine, theirs = scenario.rule_periods(), baseline.rule_periods()
    for rule in sorted(set(mine) | set(theirs)):
        a, b = mine.get(rule, []), theirs.get(rule, [])
        if [p.model_dump() for p in a] != [p.model_dump() for p in b]:
            for period in (a or b):
                out.append((rule, period.from_))
    return sorted(out, key=lambda x: x[1])


def cohort_index(result: RunResult, date: dt.date = REFERENCE_DATE) -> int | None:
    """The index of an as-of date in the result's cohort view, if it was computed."""
    return result.as_of.index(date) if date in result.as_of else None


def calibration_rows(result: RunResult, cells: Iterable[Cell]) -> list[tuple[Cell, Stat]]:
    """Each published cell of the IND tables with the model's value on the reference date.

    ``cells`` are :class:`sim.calibration.targets.Cell` objects; the model's value is the sum over the cell's
    flows and application years of the cohort view at 2023-12-31 (applications, grants or pending).
    """
    a = cohort_index(result)
    if a is None:
        return []
    years = list(result.years)
    out = []
    for cell in cells:
        yi = [years.index(y) for y in cell.years if y in years]
        fi = [FLOWS.index(f) for f in cell.flows]
        o = COHORT_OUTCOMES.index(cell.measure)
        values = result.cohorts[:, a][:, yi][:, :, fi, o].sum(axis=(1, 2))
        out.append((cell, Stat.of(values)))
    return out


def cbs_arrivals(result: RunResult, published: dict[int, float]) -> list[tuple[int, float, Stat]]:
    """CBS nareis arrivals per year beside the model's arrivals of all nareis flows."""
    values = series(result, "nareis_all", "arrivals")
    years = list(result.years)
    return [(y, v, Stat.of(values[:, years.index(y)])) for y, v in sorted(published.items()) if y in years]


def sankey_totals(result: RunResult, first: int, last: int) -> dict[str, float]:
    """Mean totals over ``first..last`` for the flow diagram: sponsors' grants, family arrivals by route and
    generation, and family migrants' own asylum grants."""
    mask = _mask(result, first, last)
    mean = result.yearly[:, mask].sum(axis=1).mean(axis=0)  # (flows, measures)

    def v(flow: str, measure: str) -> float:
        return float(mean[FLOWS.index(flow), MEASURES.index(measure)])

    out = {"asylum_first": v("asylum_first", "grants"), "asylum_family": v("asylum_family", "grants")}
    for flow in ("nareis", "art8", *STACKED_FLOWS):
        out[flow] = v(flow, "arrivals")
    return out


@dataclass(frozen=True)
class FitQuality:
    """How far a calibration can be trusted, from its own file (``sim calibrate`` writes every part).

    Attributes:
        fitted: number of fitted values.
        flat: the fitted values whose profile was flat at least one way (the tables cannot pin them down).
        one_sided: of those, the values the tables bound from one side: name and ``upper`` (only higher values are
            ruled out) or ``lower`` (only lower values are); the others are flat both ways.
        ess: effective sample size of the ensemble's importance weights (None if not recorded).
        ensemble_size: members of the ensemble.
        own_start: objective of the starting point (the priors, or the values of ``start_file``) on the
            calibration's own seed; None if not recorded.
        own_best: objective of the best set on the calibration's own seed.
        held_out: mean objective on the held-out seeds, (starting point, best); None if the calibration was not
            scored on other seeds.
        held_out_seeds: number of held-out seeds.
        ensemble_objectives: (lowest, highest) objective of the ensemble's members on the calibration's seed; None
            if not recorded.
        starts: the optimiser's starts (1 for files written before several were possible).
        kept_start: the start kept, counted from 1 (the priors); None with one start.
        selection: each start's mean objective on the selection seeds, in start order; empty with one start.
        selection_seeds: number of selection seeds.
        start_file: the file of values the search started from (``sim calibrate --start``); None if it started
            from the priors.
    """

    fitted: int
    flat: tuple[str, ...]
    one_sided: tuple[tuple[str, str], ...]
    ess: float | None
    ensemble_size: int
    own_start: float | None
    own_best: float | None
    held_out: tuple[float, float] | None
    held_out_seeds: int
    ensemble_objectives: tuple[float, float] | None = None
    starts: int = 1
    kept_start: int | None = None
    selection: tuple[float, ...] = ()
    selection_seeds: int = 0
    start_file: str | None = None


def fit_quality(calibration: dict[str, Any]) -> FitQuality:
    """The trust figures of a calibration file (see :class:`FitQuality`)."""
    m = calibration.get("manifest", {})
    profile = calibration.get("identifiability") or {}
    flat = tuple(n for n, p in profile.items() if not p.get("identifiable", True))
    shapes = {n: profile_shape(profile[n]["delta_up"], profile[n]["delta_down"]) for n in flat
              if "delta_up" in profile[n] and "delta_down" in profile[n]}
    one_sided = tuple((n, shape) for n, shape in shapes.items() if shape in ("upper", "lower"))
    held = m.get("held_out") or {}
    seeds = list(held.get("seeds") or [])
    held_out = None
    if seeds and held.get("start_objective") and held.get("best_objective"):
        held_out = (float(np.mean(held["start_objective"])), float(np.mean(held["best_objective"])))
    start, best = m.get("start_objective"), m.get("best_objective")
    ess = m.get("ensemble_effective_sample_size")
    members = [float(v) for v in calibration.get("ensemble_objectives") or []]
    return FitQuality(fitted=len(calibration.get("parameters") or {}), flat=flat, one_sided=one_sided,
                      ess=None if ess is None else float(ess), ensemble_size=len(calibration.get("ensemble") or []),
                      own_start=None if start is None else float(start),
                      own_best=None if best is None else float(best), held_out=held_out, held_out_seeds=len(seeds),
                      ensemble_objectives=(min(members), max(members)) if members else None,
                      starts=int(m.get("starts", 1)),
                      kept_start=None if m.get("chosen_start") is None else int(m["chosen_start"]) + 1,
                      selection=tuple(float(s["selection_mean"]) for s in m.get("start_selection") or []
                                      if s.get("selection_mean") is not None),
                      selection_seeds=int(m.get("selection_seeds", 0)),
                      start_file=(str((m.get("start_file") or {}).get("file")) if m.get("start") == "file" else None))
