"""The fit: free parameters, objective on common random numbers, optimiser, identifiability and ensemble.

``sim calibrate`` runs the baseline for a candidate parameter set (same seed every time, so differences between
candidates are the parameters' doing, not noise), scores it with :func:`sim.calibration.objective.objective`
(the interval-censored log-likelihood of the IND cells plus the secondary targets), and searches with scipy's
Powell method (line searches along each parameter, then along the directions found), block by block
(:data:`BLOCKS`), in a space where each parameter's bounds are stretched to the real line (logit). With several
starts (:func:`start_points`) it keeps the start whose best set scores best on other seeds. Around the best set it
profiles each parameter (identifiability: a parameter whose profile is flat is one the tables cannot pin down),
then draws an ensemble from the normal approximation given by those profiles' curvature, scaled by a pilot and
weighted by importance (:mod:`sim.calibration.ensemble`; :func:`redraw_ensemble` does this again for a
calibration file).
Everything is written to ``parameters/calibrated.yaml`` with a manifest; nothing in that file is typed in by hand.
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

from sim.calibration.ensemble import EnsembleDraw, draw_ensemble
from sim.calibration.likelihood import Dispersion
from sim.calibration.objective import SECONDARY_REL_SD, objective
from sim.calibration.search import BlockSearch, not_searched, optimise
from sim.calibration.targets import TARGETS_FILE
from sim.parameters import load_calibration, prior_value
from sim.scenario import Scenario

__all__ = ["BLOCKS", "UNFITTED", "FREE_PARAMETERS", "SECONDARY_REL_SD", "Evaluation", "Calibration", "objective",
           "calibrate", "held_out_objectives", "redraw_ensemble", "ensemble_members", "start_points",
           "SELECTION_SEED_OFFSET", "START_SD_Z", "PROFILE_RISE", "profile_shape", "stretch", "unstretch"]

#: The parameters ``sim calibrate`` fits, with the bounds of the search (natural units), in blocks that are fitted in
#: turn: the first-order nareis flow (its volume, and the input series values that are assumptions: the IND's nareis
#: decisions per month and the asylum grant share by year), the IND's asylum decisions per month (which time the
#: family migrants' own asylum claims) and the stacked flows, with the Art. 8 grant share by decision year (from
#: 2017: the Art. 8 grants of 2017-2018 bring the sponsors of the Art. 8-after-Art. 8 applications of 2020-2021) and
#: the Art. 8 filing delay, which times every Art. 8 flow. A name like ``capacity_nareis[2018]`` is one year of an
#: input series. Values whose profile was flat in an earlier calibration (the tables could not pin them down: asylum
#: grant share 2022-2023, asylum decisions 2017, 2018, 2020, 2021, the Art. 8 propensities of new and own families)
#: are not fitted; they keep their stated assumptions. The nareis decisions of 2021-2022, flat when the model had no
#: backlog then, are fitted again: with the backlog of 2023 they time the arrivals of 2021-2023. At the shipped
#: calibration six of these eight are no longer flat (docs/calibration.md, "The values left unfitted, profiled again").
UNFITTED = ("asylum_grant_share[2022]",
            "asylum_grant_share[2023]", "capacity_asylum[2017]", "capacity_asylum[2018]", "capacity_asylum[2020]",
            "capacity_asylum[2021]", "art8_prob_new_family", "art8_prob_own_family")
BLOCKS: dict[str, dict[str, tuple[float, float]]] = {
    "first-order nareis": {
        "adult_partner_abroad_prob": (0.05, 0.8),
        **{f"capacity_nareis[{y}]": (150.0, 3000.0) for y in range(2016, 2023)},
        "nareis_in_term_share": (0.01, 0.6),
        **{f"asylum_grant_share[{y}]": (0.15, 0.95) for y in range(2016, 2022)},
    },
    "asylum decisions": {f"capacity_asylum[{y}]": (500.0, 6000.0) for y in (2019, 2022)},
    "stacked": {
        "young_adult_own_family_share": (0.02, 0.9),
        "own_asylum_prob_with_family": (0.05, 0.99),
        "own_asylum_delay_mean_days": (30.0, 1500.0),
        "nareis_detection_prob": (0.01, 0.95),
        "nareis_grant_prob_stacked": (0.05, 0.99),
        "stacked_investigation_mean_days": (1.0, 1500.0),
        **{f"art8_grant_share[{y}]": (0.02, 0.95) for y in range(2017, 2024)},
        "art8_grant_odds_ratio_after_art8": (0.2, 20.0),
        "art8_prob_separated_parent": (0.01, 0.99),
        "art8_prob_amv_sibling": (0.01, 0.99),
        "separated_parent_prob": (0.005, 0.5),
        "separated_parent_new_children_mean": (0.1, 4.0),
        "amv_adult_siblings_mean": (0.05, 3.0),
        "art8_service_mean_days": (20.0, 720.0),
        "art8_filing_delay_mean_days": (60.0, 1500.0),  # never before the nareis attempt (mean 60 days)
    },
}
FREE_PARAMETERS: dict[str, tuple[float, float]] = {n: b for block in BLOCKS.values() for n, b in block.items()}

#: Step (on the transformed scale) of the one-parameter profiles around the best set.
PROFILE_STEP = 0.25
#: Largest standard deviation (transformed scale) given to a parameter whose profile is flat.
MAX_SD_Z = 1.5
#: Rise of the objective over one profile step above which the tables rule the stepped-to value out.
PROFILE_RISE = 1.0

#: Spread (transformed scale) of the random starts of a multi-start calibration around the priors: a value at the
#: middle of its bounds starts, at one spread, a quarter of the way from the middle towards either bound. An
#: assumption: wide enough to reach another basin, narrow enough to start among plausible values. At the shipped
#: budget two such starts ended far worse than the priors' (docs/calibration.md, "Several starts").
START_SD_Z = 1.0

#: Offset of the selection seeds of a multi-start calibration from its seed (see :func:`calibrate`): far from the
#: held-out seeds (seed + 1, + 2, ...).
SELECTION_SEED_OFFSET = 1000


def stretch(x: float, bounds: tuple[float, float]) -> float:
    """``x`` on the fit's transformed scale: its bounds stretched to the real line (logit)."""
    lo, hi = bounds
    u = min(max((x - lo) / (hi - lo), 1e-6), 1 - 1e-6)
    return math.log(u / (1 - u))


def unstretch(z: float, bounds: tuple[float, float]) -> float:
    """The value within ``bounds`` at ``z`` on the transformed scale (the inverse of :func:`stretch`)."""
    lo, hi = bounds
    return lo + (hi - lo) / (1 + math.exp(-z))


def _to_z(name: str, x: float) -> float:
    return stretch(x, FREE_PARAMETERS[name])


def _from_z(name: str, z: float) -> float:
    return unstretch(z, FREE_PARAMETERS[name])


def _params(names: list[str], z: np.ndarray) -> dict[str, float]:
    """A point on the transformed scale (``names`` in order) as a parameter set."""
    return {n: _from_z(n, float(v)) for n, v in zip(names, z, strict=True)}


def start_points(seed: int, starts: int) -> list[dict[str, float]]:
    """The starting values of each start of a calibration with ``starts`` starts and seed ``seed``.

    Start 0 is the priors, so that one start is the single-start calibration. Start k > 0 moves every free
    parameter from its prior by a normal draw of spread :data:`START_SD_Z` on the transformed scale, from a random
    generator seeded by (``seed``, k): start k is the same whatever the number of starts.
    """
    names = list(FREE_PARAMETERS)
    z0 = np.array([_to_z(n, prior_value(n)) for n in names])
    return [{n: prior_value(n) for n in names}] + [
        _params(names, z0 + np.random.default_rng([seed, k]).normal(0.0, START_SD_Z, len(names)))
        for k in range(1, starts)]


def ensemble_members(zs: np.ndarray) -> list[dict[str, float]]:
    """Points on the transformed scale (one row each, :data:`FREE_PARAMETERS` in order) as parameter sets."""
    return [{n: round(_from_z(n, float(z[i])), 6) for i, n in enumerate(FREE_PARAMETERS)} for z in zs]


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
    ensemble: EnsembleDraw
    profile: dict[str, dict[str, float]]
    evaluations: list[Evaluation] = field(default_factory=list)
    wall_seconds: float = 0.0
    settings: dict[str, Any] = field(default_factory=dict)
    held_out: dict[str, list[float]] = field(default_factory=dict)


def profile_shape(delta_up: float, delta_down: float) -> str:
    """What a value's profile says, from the objective's rise one step up and one step down from the best set.

    ``pinned``: both rises exceed :data:`PROFILE_RISE` (the tables rule out both neighbours); ``upper``: only a
    higher value is ruled out (the tables bound it from above only); ``lower``: only a lower value is; ``flat``:
    neither. A negative rise (a step that improves the objective) counts as no rise.
    """
    up, down = delta_up > PROFILE_RISE, delta_down > PROFILE_RISE
    return {(True, True): "pinned", (True, False): "upper", (False, True): "lower"}.get((up, down), "flat")


def calibrate(base: Scenario, executor: Any, max_evaluations: int = 150, ensemble_size: int = 20,
              exclude_years: set[int] | None = None, include_pending: bool = True,
              start: dict[str, float] | None = None, cycles: int = 2, profiles: bool = True,
              held_out_seeds: int = 0, dispersion: Dispersion = "cell", starts: int = 1,
              selection_seeds: int = 5, follow: dict[str, str] | None = None,
              progress: Callable[[str, int, float], None] | None = None) -> Calibration:
    """Fit the free parameters to the targets, profile them, and draw an ensemble.

    Args:
        base: the scenario to calibrate (the baseline), with the calibration's run settings (replications,
            scale, seed).
        executor: where replications run.
        max_evaluations: budget of the optimiser (the profiles and the proposals come on top).
        ensemble_size: members of the ensemble.
        exclude_years: application years left out (see :func:`objective`).
        include_pending: whether the pending counts are targets (see :func:`objective`).
        start: starting values (default: the priors, so that a calibration does not depend on the one before).
        cycles: rounds over the parameter blocks (:data:`BLOCKS`); each round gives every block its share of
            ``max_evaluations`` and halves the initial step of the line searches.
        profiles: whether to profile each parameter around the best set (needed for the ensemble).
        held_out_seeds: number of other seeds (the calibration's seed + 1, + 2, ...) on which the objective of
            the starting point and of the best set are computed at the end, with the same run settings. The
            fit chooses among candidates on one seed's random numbers; on other seeds the best set loses the part
            of its advantage that came from them. These runs are not counted as evaluations.
        dispersion: how the cells' predictive variance is taken (see :func:`objective`).
        starts: optimiser runs, each from its own starting values (:func:`start_points`; start 0 is ``start``)
            with the whole ``max_evaluations``. With more than one, the best set of each start is scored on
            ``selection_seeds`` other seeds (the calibration's seed + :data:`SELECTION_SEED_OFFSET` + 1, + 2, ...),
            and the start with the lowest mean there is kept: the one whose fit holds best beyond its own random
            numbers. These seeds are not the held-out seeds, so the held-out scores stay free of the choice.
        selection_seeds: see ``starts``.
        follow: values that are not searched but take another value's, in every evaluation and in the best set
            (follower: leader, both fitted values); only with one start, no profiles and no ensemble, whose
            spreads would have no meaning for a value the search never moves.
        progress: called with (phase, evaluation number, best objective so far).
    """
    t0 = time.perf_counter()
    follow = dict(follow or {})
    _check_follow(follow, starts, profiles, ensemble_size)
    names = [n for n in FREE_PARAMETERS if n not in follow]
    blocks = {b: {n: v for n, v in block.items() if n not in follow} for b, block in BLOCKS.items()}

    def complete(params: dict[str, float]) -> dict[str, float]:
        return {n: params[follow.get(n, n)] for n in FREE_PARAMETERS}

    x0 = complete({n: (start or {}).get(n, prior_value(n)) for n in FREE_PARAMETERS})
    # Values the shipped calibration sets but this one does not fit go back to their priors: the file this
    # calibration writes replaces that one, and the baseline will then run on the priors for them.
    shipped = (load_calibration() or {}).get("parameters", {})
    context = {n: prior_value(n) for n in shipped if n not in FREE_PARAMETERS}
    evaluations: list[Evaluation] = []
    best = [math.inf]

    def run(params: dict[str, float], phase: str) -> float:
        scenario = base.model_copy(update={"parameters": {**context, **base.parameters, **params}})
        total, ll, sec = objective(scenario, executor, exclude_years, include_pending, dispersion)
        evaluations.append(Evaluation(dict(params), total, ll, sec))
        best[0] = min(best[0], total)
        if progress:
            progress(phase, len(evaluations), best[0])
        return total

    def f(z: np.ndarray, phase: str = "profile") -> float:
        return run(complete(_params(names, z)), phase)

    points = [x0] + start_points(int(base.run.seed), starts)[1:]
    runs: list[tuple[np.ndarray, float, range]] = []  # each start's best point, objective and evaluations
    searches: list[BlockSearch] = []
    for k, point in enumerate(points):
        label = f"start {k + 1}/{starts} " if starts > 1 else ""
        first = len(evaluations)
        z_k, f_k, log = optimise(f, np.array([_to_z(n, point[n]) for n in names]), names, blocks, max_evaluations,
                                 cycles, label, start=k)
        runs.append((z_k, f_k, range(first, len(evaluations))))
        searches += log
    chosen, selection = 0, list[dict[str, Any]]()
    if starts > 1:
        other = base.with_run(seed=int(base.run.seed) + SELECTION_SEED_OFFSET)
        scores = held_out_objectives(other, executor, selection_seeds, {**context, **base.parameters},
                                     {str(k): _params(names, z) for k, (z, _, _) in enumerate(runs)},
                                     exclude_years, include_pending, dispersion)
        selection = [{"start": k, "objective": round(f_k, 3), "evaluations": len(span),
                      "selection_objectives": scores.get(str(k), []),
                      "selection_mean": round(float(np.mean(scores[str(k)])), 3) if scores else None}
                     for k, (_, f_k, span) in enumerate(runs)]
        chosen = min(range(starts), key=lambda k: (selection[k]["selection_mean"] or runs[k][1], k))
    z_best, f_best, span = runs[chosen]
    best_params = complete(_params(names, z_best))
    fitting = [evaluations[i] for i in span]  # the chosen start's evaluations, then those around its best set
    after_fit = len(evaluations)

    profile: dict[str, dict[str, float]] = {}
    sd = np.ones(len(names))
    step = PROFILE_STEP
    for i, n in enumerate(names if profiles else []):
        up, down = z_best.copy(), z_best.copy()
        up[i] += step
        down[i] -= step
        f_up, f_down = f(up), f(down)
        curvature = (f_up + f_down - 2 * f_best) / step ** 2
        identifiable = profile_shape(f_up - f_best, f_down - f_best) == "pinned"
        sd[i] = min(1 / math.sqrt(curvature), MAX_SD_Z) if curvature > 1e-6 else MAX_SD_Z
        profile[n] = {"delta_up": round(f_up - f_best, 3), "delta_down": round(f_down - f_best, 3),
                      "sd_z": round(float(sd[i]), 4), "identifiable": bool(identifiable)}

    # A profile step may beat the optimiser's point: the ensemble is then drawn around that step, with the spreads
    # of the profiles taken one step away.
    overall = min(fitting + evaluations[after_fit:], key=lambda e: e.objective)
    if overall.objective < f_best:
        z_best = np.array([_to_z(n, overall.params[n]) for n in names])
        best_params, f_best = dict(overall.params), overall.objective
    # The ensemble (sim.calibration.ensemble): the profiles' normal approximation, scaled by a pilot, weighted.
    draw = draw_ensemble(lambda z: f(z, "ensemble"), z_best, f_best, sd, ensemble_size if profiles else 0,
                         int(base.run.seed))
    overall = min(fitting + evaluations[after_fit:], key=lambda e: e.objective)  # so may an ensemble member
    if overall.objective < f_best:
        best_params, f_best = dict(overall.params), overall.objective
    held_out = held_out_objectives(base, executor, held_out_seeds, {**context, **base.parameters},
                                   {"start_objective": x0, "best_objective": best_params}, exclude_years,
                                   include_pending, dispersion)
    return Calibration(
        best={n: round(v, 6) for n, v in best_params.items()},
        best_objective=f_best,
        ensemble=draw,
        profile=profile,
        evaluations=evaluations,
        wall_seconds=time.perf_counter() - t0,
        settings={"replications": base.run.replications, "scale": base.run.scale, "seed": base.run.seed,
                  "optimizer": f"scipy Powell (logit-transformed bounds), {cycles} rounds over the blocks "
                               f"{', '.join(BLOCKS)}", "cycles": cycles, "max_evaluations": max_evaluations,
                  "ensemble_size": ensemble_size, "profile_step_z": PROFILE_STEP,
                  "start": "priors" if not start else "given values", "starts": starts,
                  "selection_seeds": selection_seeds if starts > 1 else 0, "chosen_start": chosen,
                  "start_selection": selection,
                  "search": [s.as_dict() for s in searches if s.start == chosen],
                  "not_searched": not_searched([s for s in searches if s.start == chosen], blocks),
                  **({"follow": follow} if follow else {}),
                  "exclude_years": sorted(exclude_years or []), "include_pending": include_pending,
                  "dispersion": dispersion,
                  "targets_sha256": hashlib.sha256(TARGETS_FILE.read_bytes()).hexdigest(),
                  "date": dt.date.today().isoformat()},
        held_out=held_out,
    )


def _check_follow(follow: dict[str, str], starts: int, profiles: bool, ensemble_size: int) -> None:
    """Refuse a ``follow`` that :func:`calibrate` cannot honour (see its ``follow`` argument)."""
    for follower, leader in follow.items():
        if follower not in FREE_PARAMETERS or leader not in FREE_PARAMETERS or leader in follow:
            raise ValueError(f"follow {follower!r}: {leader!r}: both must be fitted values, the leader not a follower")
    if follow and (starts > 1 or profiles or ensemble_size > 0):
        raise ValueError("follow needs one start, no profiles and no ensemble")


def held_out_objectives(base: Scenario, executor: Any, n_seeds: int, fixed: dict[str, float],
                        points: dict[str, dict[str, float]], exclude_years: set[int] | None,
                        include_pending: bool, dispersion: Dispersion = "cell") -> dict[str, list[float]]:
    """The objective of each named parameter set on ``n_seeds`` other seeds (see :func:`calibrate`)."""
    if n_seeds <= 0:
        return {}
    seeds = [int(base.run.seed) + k for k in range(1, n_seeds + 1)]
    out: dict[str, list[float]] = {"seeds": list(seeds), **{name: [] for name in points}}
    for seed in seeds:
        other = base.with_run(seed=seed)
        for name, params in points.items():
            scenario = other.model_copy(update={"parameters": {**fixed, **params}})
            out[name].append(round(objective(scenario, executor, exclude_years, include_pending, dispersion)[0], 3))
    return out


def redraw_ensemble(base: Scenario, executor: Any, calibration: dict[str, Any], size: int,
                    progress: Callable[[str, int, float], None] | None = None) -> EnsembleDraw:
    """Draw a new ensemble around the best set of a calibration file, with its profiles' spreads.

    ``base`` must carry the calibration's run settings (replications, scale, seed); the file's dispersion is used.
    The best set is run first: the model must give the objective the file records, else the file belongs to
    other model code and only a new ``sim calibrate`` can replace its ensemble.

    Raises:
        ValueError: if the file fits other values than :data:`FREE_PARAMETERS`, lacks spreads, or its objective
            is not reproduced.
    """
    names = list(FREE_PARAMETERS)
    params, profile = calibration.get("parameters", {}), calibration.get("identifiability") or {}
    manifest = calibration.get("manifest", {})
    if set(params) != set(names) or set(profile) != set(names):
        raise ValueError("the calibration file fits other values than this code's free parameters, or has no "
                         "profiles: run `sim calibrate` for a new calibration")
    dispersion = manifest.get("dispersion", "cell")
    seen: list[float] = []

    def f(z: np.ndarray) -> float:
        values = _params(names, z)
        scenario = base.model_copy(update={"parameters": {**base.parameters, **values}})
        seen.append(objective(scenario, executor, dispersion=dispersion)[0])
        if progress:
            progress("ensemble", len(seen), min(seen))
        return seen[-1]

    z_best = np.array([_to_z(name, float(params[name])) for name in names])
    f_best = f(z_best)
    recorded = float(manifest.get("best_objective", math.nan))
    if not abs(f_best - recorded) <= 0.01:
        raise ValueError(f"the model gives the best set an objective of {f_best:.3f}, the calibration file records "
                         f"{recorded:.3f}: the file belongs to other model code; run `sim calibrate` instead")
    sd = np.array([float(profile[name]["sd_z"]) for name in names])
    return draw_ensemble(f, z_best, f_best, sd, size, int(base.run.seed))
