"""The model's view of each target, and the likelihood of the published tables.

For a target cell the model gives one value per replication (real size, as seen on the reference date). The
predictive distribution of the true count is a negative binomial with the replicate mean and variance (Poisson
when the replicates vary less than a Poisson would): the dispersion comes from the replicates, never from a
fitted parameter. A published string is an interval of counts (the IND's rounding), so a cell contributes the
probability mass over its interval, summed in log space.

Runs below full scale have noisier replicates: a replicate count at scale ``s`` has roughly ``1/s`` times the
Poisson variance of a full-size count, so the replicate variance is multiplied by ``s`` before use (and never
taken below the mean).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats
from scipy.special import logsumexp

from sim.calibration.targets import Cell, Targets
from sim.codes import COHORT_OUTCOMES, FLOWS, MEASURES

__all__ = ["CellView", "cell_values", "predictive", "log_interval_prob", "log_likelihood", "secondary_values"]


@dataclass(frozen=True)
class CellView:
    """A target cell beside the model: replicate values and the 90% predictive interval."""

    cell: Cell
    values: np.ndarray
    mean: float
    low90: float
    high90: float
    log_prob: float

    @property
    def overlaps(self) -> bool:
        """Whether the published interval and the model's 90% predictive interval overlap."""
        return self.cell.low <= self.high90 and self.low90 <= self.cell.high


def cell_values(cohorts: np.ndarray, years: tuple[int, ...], as_of_index: int, cell: Cell) -> np.ndarray:
    """Per-replication model values of a cell from run cohorts (replications, as_of, years, flows, outcomes)."""
    outcome = COHORT_OUTCOMES.index(cell.measure if cell.measure != "grants" else "grants")
    y_idx = [years.index(y) for y in cell.years]
    f_idx = [FLOWS.index(f) for f in cell.flows]
    block = cohorts[:, as_of_index][:, y_idx][:, :, f_idx, outcome]
    return block.reshape(len(cohorts), -1).sum(axis=1)


def predictive(values: np.ndarray, scale: float) -> tuple[float, float]:
    """Mean and variance of the predictive count distribution from replicate values."""
    mean = float(np.mean(values))
    var = float(np.var(values, ddof=1)) * scale if len(values) > 1 else mean
    return mean, max(var, mean)


def _logpmf(k: np.ndarray, mean: float, var: float) -> np.ndarray:
    if mean <= 0:
        return np.where(k == 0, 0.0, -np.inf)
    if var <= mean * (1 + 1e-9):
        return stats.poisson.logpmf(k, mean)
    n = mean * mean / (var - mean)
    return stats.nbinom.logpmf(k, n, n / (n + mean))


def log_interval_prob(low: int, high: int, mean: float, var: float) -> float:
    """Log P(low <= X <= high) for the predictive distribution, summed in log space."""
    k = np.arange(low, high + 1)
    return float(logsumexp(_logpmf(k, mean, var)))


def _quantiles90(mean: float, var: float) -> tuple[float, float]:
    if mean <= 0:
        return 0.0, 0.0
    if var <= mean * (1 + 1e-9):
        dist = stats.poisson(mean)
    else:
        n = mean * mean / (var - mean)
        dist = stats.nbinom(n, n / (n + mean))
    return float(dist.ppf(0.05)), float(dist.ppf(0.95))


def view(cell: Cell, values: np.ndarray, scale: float) -> CellView:
    """The model's view of one target cell."""
    mean, var = predictive(values, scale)
    lo, hi = _quantiles90(mean, var)
    return CellView(cell, values, mean, lo, hi, log_interval_prob(cell.low, cell.high, mean, var))


def log_likelihood(targets: Targets, cohorts: np.ndarray, years: tuple[int, ...], as_of_index: int,
                   scale: float, include: set[str] | None = None, exclude_years: set[int] | None = None
                   ) -> tuple[float, list[CellView]]:
    """Total log-likelihood of the published cells and the per-cell views.

    Args:
        targets: the targets.
        cohorts: run cohorts, shape (replications, as_of, years, flows, outcomes), real size.
        years: the run's years.
        as_of_index: index of the reference date among the run's as-of dates.
        scale: the run's scale.
        include: kinds of cell to include (default all).
        exclude_years: leave out cells that cover any of these years (for the backtest).
    """
    views = []
    total = 0.0
    for cell in targets.cells:
        if include is not None and cell.kind not in include:
            continue
        if exclude_years and set(cell.years) & exclude_years:
            continue
        v = view(cell, cell_values(cohorts, years, as_of_index, cell), scale)
        views.append(v)
        total += max(v.log_prob, -50.0)  # one impossible cell must not swamp the rest of the fit
    return total, views


def secondary_values(yearly: np.ndarray, years: tuple[int, ...]) -> dict[str, np.ndarray]:
    """Per-replication model values of the secondary targets (from yearly counts at real size).

    ``nareis_on_nareis_share``: granted nareis-on-nareis as a share of all granted nareis applications
    (first-order and stacked) 2019-2022; ``cbs_nareis_arrivals[Y]``: nareis arrivals of all nareis flows in year Y;
    ``nareis_demand_2023``: nareis applications a month in 2023.
    """
    nareis_flows = [FLOWS.index(f) for f in FLOWS if f in ("nareis", "nareis_on_nareis", "nareis_after_art8",
                                                             "amv_sibling_nareis")]
    g, a, ap = MEASURES.index("grants"), MEASURES.index("arrivals"), MEASURES.index("applications")
    yi = {y: i for i, y in enumerate(years)}
    sel = [yi[y] for y in range(2019, 2023) if y in yi]
    non = FLOWS.index("nareis_on_nareis")
    granted_all = yearly[:, sel][:, :, nareis_flows, g].sum(axis=(1, 2))
    out = {"nareis_on_nareis_share": yearly[:, sel, non, g].sum(axis=1) / np.maximum(granted_all, 1)}
    for y in range(2016, 2024):
        if y in yi:
            out[f"cbs_nareis_arrivals[{y}]"] = yearly[:, yi[y]][:, nareis_flows, a].sum(axis=1)
    if 2023 in yi:
        out["nareis_demand_2023"] = yearly[:, yi[2023]][:, nareis_flows, ap].sum(axis=1) / 12.0
    return out
