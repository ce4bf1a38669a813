"""The model's view of each target, and the likelihood of the published tables.

For a target cell the model gives one value per replication (real size, as seen on the reference date). The
predictive distribution of the true count is a negative binomial with the replicate mean and variance (Poisson
when the replicates vary less than a Poisson would): the dispersion comes from the replicates, never from a
fitted parameter. A published string is an interval of counts (the IND's rounding), so a cell contributes the
probability mass over its interval, summed in log space.

Runs below full scale have noisier replicates: a replicate count at scale ``s`` has roughly ``1/s`` times the
Poisson variance of a full-size count, so the replicate variance is multiplied by ``s`` before use (and never
taken below the mean).

Two ways to get the variance (``dispersion``):

- ``cell``: each cell's own replicate variance. With few replicates that variance is itself noisy (from 4, its
  relative standard error is about 80%), and a fit can gain by landing where a badly fitted cell happens to vary more.
- ``cell_mc``: each cell's own replicate variance (never below the mean) times ``1 + 1/(R s)``, the Monte Carlo
  error of a mean over ``R`` replicates at scale ``s``; and a cell whose replicates are all zero gets the mean
  ``0.5/(R s)`` (Jeffreys' posterior mean of a Poisson rate after no events) instead of a point mass at zero, so
  a published count of 1 or more is unlikely there but not impossible. The predictive distribution of a published
  count given the model's *estimate* of its mean, cell by cell.
- ``cell_zero``: ``cell``, except that a cell whose replicates are all zero gets the mean ``0.5/(R s)`` (Poisson),
  as in ``cell_mc``, instead of a point mass at zero. Under ``cell`` one replicate with a single case in a
  published ``<10`` cell is worth up to 50 (the floor of a cell's log-probability) against none; this keeps that
  rule of ``cell_mc`` without its widening of every other cell.
- ``pooled``: one dispersion for the whole run, the ratio of replicate variance to mean pooled over every cell
  with a mean of at least :data:`POOL_MIN_MEAN` (applications come in families, so counts vary more than a
  Poisson would by a similar factor everywhere), times ``1 + 1/(R s)`` for the Monte Carlo error of a mean over
  ``R`` replicates at scale ``s``: the predictive distribution of a published count given the model's *estimate*
  of its mean. Both parts come from the replicates and the run settings, not from a fitted value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats
from scipy.special import logsumexp

from sim.calibration.targets import Cell, Targets
from sim.codes import COHORT_OUTCOMES, FLOWS, MEASURES

__all__ = ["CellView", "cell_values", "predictive", "pooled_dispersion", "log_interval_prob", "log_likelihood",
           "secondary_values", "Dispersion", "DISPERSIONS", "POOL_MIN_MEAN"]

Dispersion = Literal["cell", "cell_mc", "cell_zero", "pooled"]
DISPERSIONS: tuple[Dispersion, ...] = ("cell", "cell_mc", "cell_zero", "pooled")
#: Cells with a smaller mean (real size) do not enter the pooled dispersion: their variance says little.
POOL_MIN_MEAN = 5.0


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


def predictive(values: np.ndarray, scale: float, dispersion: float | None = None,
               mc_error: bool = False, zero_floor: bool = False) -> tuple[float, float]:
    """Mean and variance of the predictive count distribution from replicate values.

    With ``dispersion`` (see :func:`pooled_dispersion`) the variance is that factor times the mean, plus the
    Monte Carlo error of the mean; without it, the cell's own replicate variance, and with ``mc_error`` the
    Monte Carlo error of the mean on top and a mean of zero raised to ``0.5/(R s)`` (the ``cell_mc`` dispersion);
    with ``zero_floor`` alone, only the latter (``cell_zero``).
    """
    resolution = len(values) * scale  # the run's replicates, counted in full-size runs
    mean = float(np.mean(values))
    if mc_error or zero_floor:
        mean = max(mean, 0.5 / resolution)
    if dispersion is not None:
        var = dispersion * mean
    else:
        var = float(np.var(values, ddof=1)) * scale if len(values) > 1 else mean
    var = max(var, mean)
    if mc_error or dispersion is not None:
        var *= 1.0 + 1.0 / resolution  # the Monte Carlo error of the mean
    return mean, var


def pooled_dispersion(values: list[np.ndarray], scale: float) -> float:
    """Replicate variance over mean (at real size, variance times ``scale``), pooled over the cells whose mean is
    at least :data:`POOL_MIN_MEAN`; never below 1 (Poisson)."""
    kept = [v for v in values if len(v) > 1 and float(np.mean(v)) >= POOL_MIN_MEAN]
    if not kept:
        return 1.0
    var = sum(float(np.var(v, ddof=1)) * scale for v in kept)
    return max(var / sum(float(np.mean(v)) for v in kept), 1.0)


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


def view(cell: Cell, values: np.ndarray, scale: float, dispersion: float | None = None,
         mc_error: bool = False, zero_floor: bool = False) -> CellView:
    """The model's view of one target cell (``dispersion``, ``mc_error`` and ``zero_floor`` as in
    :func:`predictive`)."""
    mean, var = predictive(values, scale, dispersion, mc_error, zero_floor)
    lo, hi = _quantiles90(mean, var)
    return CellView(cell, values, mean, lo, hi, log_interval_prob(cell.low, cell.high, mean, var))


def log_likelihood(targets: Targets, cohorts: np.ndarray, years: tuple[int, ...], as_of_index: int,
                   scale: float, include: set[str] | None = None, exclude_years: set[int] | None = None,
                   dispersion: Dispersion = "cell") -> tuple[float, list[CellView]]:
    """Total log-likelihood of the published cells and the per-cell views.

    Args:
        targets: the targets.
        cohorts: run cohorts, shape (replications, as_of, years, flows, outcomes), real size.
        years: the run's years.
        as_of_index: index of the reference date among the run's as-of dates.
        scale: the run's scale.
        include: kinds of cell to include (default all).
        exclude_years: leave out cells that cover any of these years (for the backtest).
        dispersion: ``cell``, ``cell_mc``, ``cell_zero`` or ``pooled`` (see the module's description).
    """
    cells = [c for c in targets.cells if (include is None or c.kind in include)
             and not (exclude_years and set(c.years) & exclude_years)]
    values = [cell_values(cohorts, years, as_of_index, c) for c in cells]
    phi = pooled_dispersion(values, scale) if dispersion == "pooled" else None
    views = []
    total = 0.0
    for cell, vals in zip(cells, values, strict=True):
        v = view(cell, vals, scale, phi, mc_error=dispersion == "cell_mc", zero_floor=dispersion == "cell_zero")
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
