"""The calibration's ensemble: parameter sets that stand for the fit's uncertainty, with importance weights.

Around the best set (on the transformed scale of :mod:`sim.calibration.fit`), each parameter's one-sided profiles
give a curvature and so a spread ``sd``. A normal distribution with those spreads and no correlations is the
proposal. The profiles see each parameter alone; the values trade off against each other, so the proposal is
too wide taken together (the shipped calibration's members fitted 18 to 228 log-likelihood units worse than the
best set, where a proposal matching the likelihood gives about half the number of parameters, 19). Before the
members are drawn, a small pilot measures that: for a pilot draw ``u`` (in units of ``sd``) and its rise of the
objective ``delta``, a quadratic likelihood gives ``delta = kappa |u|^2 / 2``; the median ``kappa`` over the pilot
scales every spread by ``1 / sqrt(kappa)`` (never widening it). The members are then drawn from the scaled
proposal and each is run once: its importance weight is likelihood over proposal, and the weights' effective
sample size says how close the proposal is to the likelihood.

Runs with parameter uncertainty use the members in turn, as draws from the (scaled) approximation, not in
proportion to their weights: with an effective sample size near 1, weighting would put nearly every replication on
one member, a band of random variation only that would claim to hold the calibration's uncertainty. The weights
are the approximation's check, shown beside the bands (the app's calibration view).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["PILOT_SIZE", "EnsembleDraw", "draw_ensemble", "effective_sample_size"]

#: Draws of the pilot that scales the proposal (run once each, not part of the ensemble).
PILOT_SIZE = 10
#: The smallest scale the pilot may set (a tenth of the profiles' spreads).
MIN_SCALE = 0.1


@dataclass
class EnsembleDraw:
    """The members (transformed scale), their objectives and normalised weights, and how they were drawn."""

    zs: np.ndarray
    objectives: list[float]
    weights: np.ndarray
    ess: float
    scale: float
    pilot_objectives: list[float]


def effective_sample_size(log_w: Sequence[float]) -> tuple[np.ndarray, float]:
    """Normalised weights from log weights, and their effective sample size ``(sum w)^2 / sum w^2``."""
    if len(log_w) == 0:
        return np.zeros(0), 0.0
    lw = np.asarray(log_w, dtype=float)
    w = np.exp(lw - lw.max())
    w /= w.sum()
    return w, float(1.0 / np.sum(w ** 2))


def draw_ensemble(f: Callable[[np.ndarray], float], z_best: np.ndarray, f_best: float, sd: np.ndarray, size: int,
                  seed: int, pilot: int = PILOT_SIZE) -> EnsembleDraw:
    """Draw ``size`` members around ``z_best`` and weight them (see the module's description).

    Args:
        f: the objective (negative log-likelihood) of a point on the transformed scale; every call is a model run.
        z_best: the best set, transformed.
        f_best: its objective.
        sd: the profiles' spreads, one per parameter.
        size: members to draw (0: none, and no pilot).
        seed: seed of the draws (the calibration's seed: the same calibration draws the same ensemble).
        pilot: pilot draws that set the scale (0: the profiles' spreads as they are).
    """
    rng = np.random.default_rng(seed)
    if size <= 0:
        return EnsembleDraw(np.zeros((0, len(z_best))), [], np.zeros(0), 0.0, 1.0, [])
    pilot_objectives: list[float] = []
    kappas: list[float] = []
    for u in rng.standard_normal((pilot, len(z_best))):
        fz = f(z_best + u * sd)
        pilot_objectives.append(fz)
        kappas.append(2.0 * max(fz - f_best, 0.0) / float(np.sum(u ** 2)))
    kappa = float(np.median(kappas)) if kappas else 1.0
    scale = min(1.0, max(MIN_SCALE, 1.0 / math.sqrt(kappa))) if kappa > 0 else 1.0
    us = rng.standard_normal((size, len(z_best)))
    zs = z_best + us * (scale * sd)
    objectives, log_w = [], []
    for z, u in zip(zs, us, strict=True):
        fz = f(z)
        objectives.append(fz)
        log_w.append(-(fz - f_best) + 0.5 * float(np.sum(u ** 2)))  # likelihood over proposal, up to a constant
    weights, ess = effective_sample_size(log_w)
    return EnsembleDraw(zs, objectives, weights, ess, scale, pilot_objectives)
