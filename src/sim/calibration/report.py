"""The fit report: every target beside the model, with intervals and overlap.

``sim fit-report`` runs a scenario (the baseline by default) and, for every published cell, prints the
published string, its interval, the model mean and 90% predictive interval and whether they overlap; then
per-table totals and the secondary targets. The same table is written as CSV. With parameter uncertainty on
(``sim fit-report --parameter-uncertainty``) replication ``r`` uses ensemble member ``r``, as ``sim run`` does, so
the 90% intervals hold the calibration's uncertainty too; the report says which kind of band it holds.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sim.calibration.likelihood import CellView, Dispersion, log_likelihood, secondary_values
from sim.calibration.targets import Targets, load_targets
from sim.codes import COHORT_OUTCOMES, FLOWS
from sim.output import BAND_RANDOM, BAND_WITH_CALIBRATION
from sim.parameters import ensemble_size
from sim.runner import RunResult, run_scenario
from sim.scenario import Scenario

__all__ = ["FitReport", "Band", "BAND_HEADER", "fit_report", "BACKLOG_DATE", "format_figure", "COVERAGE_BAND",
           "TOTAL_TOLERANCE", "PENDING_TOLERANCE", "ARRIVALS_TOLERANCE", "JUDGE_DISPERSION"]

BACKLOG_DATE = dt.date(2023, 10, 31)
NAREIS_FLOWS = ("nareis", "nareis_on_nareis", "nareis_after_art8", "amv_sibling_nareis")
#: The bands the calibration is held to (its acceptance criteria, checked by ``tests/test_calibration.py``):
#: share of published cells whose interval overlaps the model's 90% interval;
COVERAGE_BAND = (0.75, 0.98)
#: a table total's model mean within this share or 10 persons of the published interval's midpoint, the larger;
TOTAL_TOLERANCE = 0.20
#: the same for the pending counts on the reference date;
PENDING_TOLERANCE = 0.25
#: CBS nareis arrivals within this share of the CBS figure, every year (the nareis-on-nareis share has its range in
#: the targets file).
ARRIVALS_TOLERANCE = 0.25
#: The predictive distribution a run is judged with (the cells covered and the log-likelihood): each cell's own
#: replicate variance plus the Monte Carlo error of its mean, with no point mass at a mean of zero. A judge without
#: that error gives a cell whose replicates are all zero no chance of a published 1-9, and its log-likelihood moves
#: more than twice as much between seeds (docs/calibration.md, "The judge's noise").
JUDGE_DISPERSION: Dispersion = "cell_mc"


@dataclass(frozen=True)
class Secondary:
    """A secondary target beside the model."""

    name: str
    target: float
    low: float
    high: float
    model_mean: float
    model_p05: float
    model_p95: float
    source: str

    @property
    def within(self) -> bool:
        """Whether the model mean lies in the target's acceptance range."""
        return self.low <= self.model_mean <= self.high


@dataclass(frozen=True)
class Band:
    """One of the bands the calibration is held to, and how the report's run fares against it (``key``: ``cells``,
    ``totals``, ``pending``, ``share`` or ``arrivals``)."""

    key: str
    name: str
    rule: str
    met: int
    total: int
    passed: bool
    misses: tuple[str, ...]

    def row(self) -> list[str]:
        """The band as a row of text: name, rule, figures met, passed, misses."""
        return [self.name, self.rule, f"{self.met} of {self.total}", "yes" if self.passed else "no",
                "; ".join(self.misses) or "-"]


BAND_HEADER = ["band", "rule", "met", "passed", "misses"]


def _midpoint(v: CellView) -> float:
    return (v.cell.low + v.cell.high) / 2


def _label(v: CellView) -> str:
    c = v.cell
    return f"{'+'.join(c.flows)} {c.measure} {c.years_text}: {format_figure(v.mean)} against {c.published}"


def _near_band(key: str, name: str, views: list[CellView], share: float) -> Band:
    misses = tuple(_label(v) for v in views if abs(v.mean - _midpoint(v)) > max(share * _midpoint(v), 10))
    return Band(key, name, f"model mean within {share:.0%} or 10 persons of the published midpoint", len(views) -
                len(misses), len(views), bool(views) and not misses, misses)


@dataclass(frozen=True)
class FitReport:
    """Per-cell views, the total log-likelihood and the secondary targets of one run."""

    scenario: str
    replications: int
    scale: float
    log_likelihood: float
    cells: list[CellView]
    secondary: list[Secondary]
    dispersion: Dispersion = JUDGE_DISPERSION
    #: Members of the ensemble the replications drew their parameters from in turn (0: the best set only).
    ensemble_size: int = 0

    @property
    def band(self) -> str:
        """Which kind of band the replicates hold, in the words of the run manifests, with the members used."""
        if not self.ensemble_size:
            return BAND_RANDOM
        return (f"{BAND_WITH_CALIBRATION} (each replication one of the calibration's {self.ensemble_size} ensemble "
                f"members in turn, {min(self.ensemble_size, self.replications)} used)")

    @property
    def coverage(self) -> float:
        """Share of published cells (not totals or pending) whose interval overlaps the 90% interval."""
        cells = [v for v in self.cells if v.cell.kind == "cell"]
        return sum(v.overlaps for v in cells) / len(cells) if cells else math.nan

    def bands(self) -> list[Band]:
        """The run against each band the calibration is held to (see :data:`COVERAGE_BAND` and the tolerances)."""
        cells = [v for v in self.cells if v.cell.kind == "cell"]
        lo, hi = COVERAGE_BAND
        covered = sum(v.overlaps for v in cells)
        uncovered = (f"{len(cells) - covered} not covered: overlap 'no' in the cell table",) if covered < len(cells) \
            else ()
        out = [Band("cells", "published cells covered",
                    f"{lo:.0%}-{hi:.0%} of the cells overlap the model's 90% interval", covered, len(cells),
                    bool(cells) and lo <= covered / len(cells) <= hi, uncovered)]
        totals = [v for v in self.cells if v.cell.kind in ("row_total", "column_total", "table_total")]
        pending = [v for v in self.cells if v.cell.kind == "pending"]
        out.append(_near_band("totals", "table totals", totals, TOTAL_TOLERANCE))
        out.append(_near_band("pending", "pending on the reference date", pending, PENDING_TOLERANCE))
        share = [s for s in self.secondary if s.name.startswith("nareis_on_nareis_share")]
        out.append(Band("share", "nareis-on-nareis share of granted nareis",
                        "model mean within the range of the targets file", sum(s.within for s in share), len(share),
                        bool(share) and all(s.within for s in share),
                        tuple(f"{s.model_mean:.4g} outside {s.low:.4g}-{s.high:.4g}" for s in share if not s.within)))
        arrivals = [s for s in self.secondary if s.name.startswith("CBS nareis arrivals")]
        arr_miss = tuple(f"{s.name[-4:]}: {format_figure(s.model_mean)} against {format_figure(s.target)}"
                         for s in arrivals if abs(s.model_mean / s.target - 1) > ARRIVALS_TOLERANCE)
        out.append(Band("arrivals", "CBS nareis arrivals",
                        f"model mean within {ARRIVALS_TOLERANCE:.0%} of CBS, every year",
                        len(arrivals) - len(arr_miss), len(arrivals), bool(arrivals) and not arr_miss, arr_miss))
        return out

    def rows(self) -> list[list[str]]:
        """The report as rows of text (header first)."""
        out = [["table", "kind", "flows", "measure", "years", "published", "interval", "model_mean",
                "model_p05", "model_p95", "overlap"]]
        for v in self.cells:
            c = v.cell
            out.append([c.table, c.kind, "+".join(c.flows), c.measure, c.years_text, c.published, f"{c.low}-{c.high}",
                        f"{v.mean:.1f}", f"{v.low90:.0f}", f"{v.high90:.0f}", "yes" if v.overlaps else "no"])
        return out

    def markdown(self, command: str) -> str:
        """The report as Markdown tables, headed by the command that produced it."""
        header, *rows = self.rows()
        out = [f"Written by `{command}` ({self.replications} replications at scale {self.scale}). "
               f"Published cells whose interval overlaps the model's 90% predictive interval: "
               f"{sum(v.overlaps for v in self.cells if v.cell.kind == 'cell')} of "
               f"{sum(1 for v in self.cells if v.cell.kind == 'cell')} ({self.coverage:.0%}); "
               f"log-likelihood {self.log_likelihood:.1f} ({self.dispersion} dispersion). Bands: {self.band}.", "",
               "| " + " | ".join(BAND_HEADER) + " |", "|" + "---|" * len(BAND_HEADER)]
        out += ["| " + " | ".join(band.row()) + " |" for band in self.bands()]
        out += ["", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        out += ["| " + " | ".join(row) + " |" for row in rows]
        out += ["", "| secondary target | published | accepted range | model mean | model 90% | within | source |",
                "|---|---|---|---|---|---|---|"]
        fig = format_figure
        for s in self.secondary:
            out.append(f"| {s.name} | {fig(s.target)} | {fig(s.low)} to {fig(s.high)} | {fig(s.model_mean)} | "
                       f"{fig(s.model_p05)} to {fig(s.model_p95)} | {'yes' if s.within else 'no'} | {s.source} |")
        return "\n".join(out) + "\n"

    def csv(self) -> bytes:
        """The cell table as CSV, followed by the secondary targets and the bands."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerows(self.rows())
        w.writerow([])
        w.writerow(["secondary", "target", "low", "high", "model_mean", "model_p05", "model_p95", "within",
                    "source"])
        for s in self.secondary:
            w.writerow([s.name, s.target, s.low, s.high, f"{s.model_mean:.6g}", f"{s.model_p05:.6g}",
                        f"{s.model_p95:.6g}", "yes" if s.within else "no", s.source])
        w.writerow([])
        w.writerow(BAND_HEADER)
        w.writerows(band.row() for band in self.bands())
        w.writerow([])
        w.writerow(["band", self.band])
        return buf.getvalue().encode("utf-8")


def format_figure(x: float) -> str:
    """A secondary target's figure as an adviser reads it: whole persons with thousands separators, a share
    with four significant digits; never scientific notation."""
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 1:
        return f"{x:,.1f}"
    return f"{x:.4g}"


def _spread(v: np.ndarray) -> tuple[float, float, float]:
    """Mean, 5th and 95th percentile of the replicates."""
    p05, p95 = np.percentile(v, [5, 95])
    return float(v.mean()), float(p05), float(p95)


def _secondary(result: RunResult, targets: Targets) -> list[Secondary]:
    values = secondary_values(result.yearly, result.years)
    sec = targets.secondary
    out = []
    share = sec["nareis_on_nareis_share"]
    lo, hi = share.interval or (0.0, 1.0)
    v = values["nareis_on_nareis_share"]
    out.append(Secondary("nareis_on_nareis_share 2019-2022", share.value or 0.0, lo, hi, *_spread(v),
                         share.source))
    arrivals = sec["cbs_nareis_arrivals"]
    for year, target in (arrivals.values or {}).items():
        key = f"cbs_nareis_arrivals[{year}]"
        if key in values:
            v = values[key]
            out.append(Secondary(f"CBS nareis arrivals {year}", target, 0.75 * target, 1.25 * target,
                                 *_spread(v), arrivals.source))
    demand = sec["nareis_demand_2023"]
    if "nareis_demand_2023" in values and demand.value:
        v = values["nareis_demand_2023"]
        out.append(Secondary("nareis applications a month 2023", demand.value, 0.75 * demand.value,
                             1.25 * demand.value, *_spread(v),
                             demand.source))
    backlog = sec["nareis_backlog_2023_10_31"]
    if BACKLOG_DATE in result.as_of and backlog.value:
        a = result.as_of.index(BACKLOG_DATE)
        f_idx = [FLOWS.index(f) for f in NAREIS_FLOWS]
        v = result.cohorts[:, a][:, :, f_idx, COHORT_OUTCOMES.index("pending")].sum(axis=(1, 2))
        out.append(Secondary("nareis backlog 2023-10-31 (persons)", backlog.value, 0.75 * backlog.value,
                             1.25 * backlog.value, *_spread(v),
                             backlog.source))
    return out


def fit_report(scenario: Scenario, workers: int = 1, progress: Callable[[int, int], None] | None = None,
               result: RunResult | None = None, dispersion: Dispersion = JUDGE_DISPERSION) -> FitReport:
    """Run ``scenario`` (unless a result is given) and compare it with every target, each cell's predictive
    distribution taken as ``dispersion`` says (:mod:`sim.calibration.likelihood`)."""
    targets = load_targets()
    as_of = (BACKLOG_DATE, targets.reference_date, scenario.run.horizon)
    if result is None:
        result = run_scenario(scenario, as_of, workers=workers, progress=progress)
    ll, views = log_likelihood(targets, result.cohorts, result.years, result.as_of.index(targets.reference_date),
                               scenario.run.scale, dispersion=dispersion)
    size = ensemble_size() if scenario.run.parameter_uncertainty else 0
    return FitReport(scenario.name, scenario.run.replications, scenario.run.scale, ll, views,
                     _secondary(result, targets), dispersion, size)
