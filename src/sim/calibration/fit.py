"""The fit: free parameters, objective on common random numbers, optimiser, identifiability and ensemble.

``sim calibrate`` runs the baseline for a candidate parameter set (same seed every time, so differences between
candidates are the parameters' doing, not noise), scores it with :func:`objective` (the interval-censored
log-likelihood of the IND cells plus the secondary targets), and searches with scipy's Nelder-Mead in a
transformed space (logit for probabilities, log for positive values). Around the best set it profiles each
parameter (identifiability: a parameter whose profile is flat is one the tables cannot pin down), then draws
an ensemble by importance sampling from a normal proposal scaled by those profiles. Everything is written to
``parameters/calibrated.yaml`` with a manifest; nothing in that file is typed in by hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import minimize

from sim.calibration.likelihood import log_likelihood, secondary_values
from sim.calibration.report import BACKLOG_DATE, NAREIS_FLOWS
from sim.calibration.targets import TARGETS_FILE, load_targets
from sim.codes import COHORT_OUTCOMES, FLOWS
from sim.runner import run_scenario
from sim.scenario import Scenario

__all__ = ["FREE_PARAMETERS", "SECONDARY_REL_SD", "Evaluation", "Calibration", "objective", "calibrate"]

#: The parameters ``sim calibrate`` fits, with the bounds of the search (natural units).
FREE_PARAMETERS: dict[str, tuple[float, float]] = {
    "adult_partner_abroad_prob": (0.05, 0.8),
    "young_adult_own_family_share": (0.02, 0.9),
    "own_asylum_prob_with_family": (0.05, 0.99),
    "own_asylum_delay_mean_days": (30.0, 1500.0),
    "nareis_detection_prob": (0.01, 0.95),
    "nareis_grant_prob_stacked": (0.05, 0.99),
    "art8_grant_prob": (0.05, 0.95),
    "art8_prob_separated_parent": (0.01, 0.99),
    "art8_prob_new_family": (0.01, 0.99),
    "art8_prob_own_family": (0.01, 0.99),
    "art8_prob_amv_sibling": (0.01, 0.99),
    "separated_parent_prob": (0.005, 0.5),
    "amv_adult_siblings_mean": (0.05, 3.0),
    "art8_service_mean_days": (20.0, 720.0),
}

#: Relative standard deviation given to the secondary targets (an assumption: they are rounded statements).
SECONDARY_REL_SD = 0.10


def _to_z(name: str, x: float) -> float:
    lo, hi = FREE_PARAMETERS[name]
    u = min(max((x - lo) / (hi - lo), 1e-6), 1 - 1e-6)
    return math.log(u / (1 - u))


def _from_z(name: str, z: float) -> float:
    lo, hi = FREE_PARAMETERS[name]
    return lo + (hi - lo) / (1 + math.exp(-z))


@dataclass
class Evaluation:
    """One model evaluation: the parameters, the objective and its parts."""

    params: dict[str, float]
    objective: float
    log_likelihood: float
    secondary: float


@dataclass
class Calibration:
    """The outcome of a calibration run."""

    best: dict[str, float]
    best_objective: float
    ensemble: list[dict[str, float]]
    weights_ess: float
    profile: dict[str, dict[str, float]]
    evaluations: list[Evaluation] = field(default_factory=list)
    wall_seconds: float = 0.0
    settings: dict[str, Any] = field(default_factory=dict)


def objective(scenario: Scenario, executor: Any, exclude_years: set[int] | None = None,
              include_pending: bool = True) -> tuple[float, float, float]:
    """Negative log-likelihood of the targets for one scenario run: (total, cell part, secondary part).

    Args:
        scenario: the scenario with the candidate parameters and the calibration's run settings.
        executor: where replications run.
        exclude_years: application years left out (the backtest leaves out 2023).
        include_pending: whether the pending counts are targets.
    """
    targets = load_targets()
    as_of = (BACKLOG_DATE, targets.reference_date)
    result = run_scenario(scenario, as_of, executor=executor)
    kinds = {"cell", "row_total", "column_total", "table_total"} | ({"pending"} if include_pending else set())
    ll, _ = log_likelihood(targets, result.cohorts, result.years, 1, scenario.run.scale, include=kinds,
                           exclude_years=exclude_years)
    sec = 0.0
    values = secondary_values(result.yearly, result.years)
    arrivals = targets.secondary["cbs_nareis_arrivals"].values or {}
    terms: list[tuple[float, float]] = [
        (float(values[f"cbs_nareis_arrivals[{y}]"].mean()), target) for y, target in arrivals.items()
        if not (exclude_years and y in exclude_years)
    ]
    if not (exclude_years and 2023 in exclude_years):
        terms.append((float(values["nareis_demand_2023"].mean()), targets.secondary["nareis_demand_2023"].value))
        if include_pending:
            f_idx = [FLOWS.index(f) for f in NAREIS_FLOWS]
            backlog = result.cohorts[:, 0][:, :, f_idx, COHORT_OUTCOMES.index("pending")].sum(axis=(1, 2))
            terms.append((float(backlog.mean()), targets.secondary["nareis_backlog_2023_10_31"].value))
    share = targets.secondary["nareis_on_nareis_share"]
    terms.append((float(values["nareis_on_nareis_share"].mean()), share.value))
    for model, target in terms:
        sec += 0.5 * ((model - target) / (SECONDARY_REL_SD * target)) ** 2
    return -ll + sec, ll, sec


def calibrate(base: Scenario, executor: Any, max_evaluations: int = 150, ensemble_size: int = 20,
              proposals: int = 30, exclude_years: set[int] | None = None, include_pending: bool = True,
              start: dict[str, float] | None = None,
              progress: Callable[[str, int, float], None] | None = None) -> Calibration:
    """Fit the free parameters to the targets, profile them, and draw an ensemble.

    Args:
        base: the scenario to calibrate (the baseline), with the calibration's run settings (replications,
            scale, seed).
        executor: where replications run.
        max_evaluations: budget of the optimiser.
        ensemble_size: members of the ensemble.
        proposals: parameter sets drawn for importance sampling.
        exclude_years: application years left out (see :func:`objective`).
        include_pending: whether the pending counts are targets (see :func:`objective`).
        start: starting values (default: the scenario's current values).
        progress: called with (phase, evaluation number, best objective so far).
    """
    t0 = time.perf_counter()
    names = list(FREE_PARAMETERS)
    from sim.runner import parameters_for

    current = parameters_for(base).model
    x0 = {n: (start or {}).get(n, current[n]) for n in names}
    evaluations: list[Evaluation] = []
    best = [math.inf]

    def run(params: dict[str, float], phase: str) -> float:
        scenario = base.model_copy(update={"parameters": {**base.parameters, **params}})
        total, ll, sec = objective(scenario, executor, exclude_years, include_pending)
        evaluations.append(Evaluation(dict(params), total, ll, sec))
        best[0] = min(best[0], total)
        if progress:
            progress(phase, len(evaluations), best[0])
        return total

    def f(z: np.ndarray) -> float:
        return run({n: _from_z(n, float(v)) for n, v in zip(names, z, strict=True)}, "fit")

    z0 = np.array([_to_z(n, x0[n]) for n in names])
    res = minimize(f, z0, method="Nelder-Mead",
                   options={"maxfev": max_evaluations, "xatol": 0.02, "fatol": 0.5, "initial_simplex":
                            np.vstack([z0] + [z0 + 0.8 * np.eye(len(names))[i] for i in range(len(names))])})
    z_best = res.x
    f_best = float(res.fun)
    best_params = {n: _from_z(n, float(v)) for n, v in zip(names, z_best, strict=True)}

    profile: dict[str, dict[str, float]] = {}
    sd = np.ones(len(names))
    step = 0.5
    for i, n in enumerate(names):
        up, down = z_best.copy(), z_best.copy()
        up[i] += step
        down[i] -= step
        f_up, f_down = f(up), f(down)
        curvature = (f_up + f_down - 2 * f_best) / step ** 2
        identifiable = min(f_up, f_down) - f_best > 1.0
        sd[i] = 1 / math.sqrt(curvature) if curvature > 1e-6 else 1.5
        sd[i] = min(sd[i], 1.5)
        profile[n] = {"delta_up": round(f_up - f_best, 3), "delta_down": round(f_down - f_best, 3),
                      "sd_z": round(float(sd[i]), 4), "identifiable": bool(identifiable)}

    rng = np.random.default_rng(int(base.run.seed))
    zs = z_best + rng.standard_normal((proposals, len(names))) * sd
    log_w = []
    for z in zs:
        fz = f(z)
        log_q = -0.5 * float(np.sum(((z - z_best) / sd) ** 2))
        log_w.append(-fz - log_q)
    log_w_arr = np.asarray(log_w + [-f_best])
    candidates = np.vstack([zs, z_best])
    w = np.exp(log_w_arr - log_w_arr.max())
    w /= w.sum()
    ess = float(1.0 / np.sum(w ** 2))
    positions = (rng.random() + np.arange(ensemble_size)) / ensemble_size
    chosen = np.searchsorted(np.cumsum(w), positions)
    ensemble = [{n: round(_from_z(n, float(candidates[c][i])), 6) for i, n in enumerate(names)}
                for c in np.minimum(chosen, len(candidates) - 1)]
    overall = min(evaluations, key=lambda e: e.objective)  # a proposal may beat the optimiser's point
    if overall.objective < f_best:
        best_params, f_best = dict(overall.params), overall.objective
    return Calibration(
        best={n: round(v, 6) for n, v in best_params.items()},
        best_objective=f_best,
        ensemble=ensemble,
        weights_ess=ess,
        profile=profile,
        evaluations=evaluations,
        wall_seconds=time.perf_counter() - t0,
        settings={"replications": base.run.replications, "scale": base.run.scale, "seed": base.run.seed,
                  "optimizer": "scipy Nelder-Mead (logit-transformed bounds)", "max_evaluations": max_evaluations,
                  "proposals": proposals, "ensemble_size": ensemble_size,
                  "exclude_years": sorted(exclude_years or []), "include_pending": include_pending,
                  "targets_sha256": hashlib.sha256(TARGETS_FILE.read_bytes()).hexdigest(),
                  "date": dt.date.today().isoformat()},
    )
