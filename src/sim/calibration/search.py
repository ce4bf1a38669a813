"""The optimiser of ``sim calibrate``: scipy's Powell method, block by block, and a record of how far it got.

Powell's method starts with one line search along each value of a block, in the block's order, then searches along
the directions it found. Each block gets a share of the evaluations of a round; when that share runs out in the
middle of the first pass, the values later in the block are not searched in that round at all. The record
(:class:`BlockSearch`) says, for every block and round, how many of its values the search moved, so that a budget
too small for the block shows in the manifest and in a warning rather than as values that silently kept their
starting values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass

import numpy as np
from scipy.optimize import minimize

__all__ = ["BlockSearch", "optimise", "not_searched", "block_budget"]

#: Initial step of the line searches (transformed scale) in the first round; each round halves it.
FIRST_STEP = 0.5


@dataclass(frozen=True)
class BlockSearch:
    """One block's search in one round (of one start)."""

    start: int
    round: int
    block: str
    values: int  #: values in the block
    budget: int  #: evaluations allowed
    evaluations: int  #: evaluations used
    passes: int  #: completed Powell iterations (a pass along every direction, then the extrapolation)
    values_searched: int  #: values of the block that some evaluation of this search moved from its start
    improvement: float  #: fall of the objective over this search (0 if it found nothing better)

    def as_dict(self) -> dict[str, int | float | str]:
        """The record as the manifest holds it."""
        return asdict(self)


def block_budget(max_evaluations: int, block_size: int, n_values: int, cycles: int) -> int:
    """Evaluations a block of ``block_size`` of ``n_values`` values gets in one round.

    Its share of ``max_evaluations`` over ``cycles`` rounds, but never fewer than two per value and two more (too few
    for a pass over the block all the same: a line search takes about five to ten).
    """
    return max(2 * block_size + 2, round(max_evaluations * block_size / n_values / cycles))


def optimise(f: Callable[[np.ndarray, str], float], z0: np.ndarray, names: list[str],
             blocks: Mapping[str, Mapping[str, object]], max_evaluations: int, cycles: int, label: str = "",
             start: int = 0) -> tuple[np.ndarray, float, list[BlockSearch]]:
    """Powell's method block by block from ``z0`` (transformed scale, ``names`` in order).

    Returns the best point found, its objective, and the record of each block's search in each round. ``f`` takes a
    point and the phase to report it under.
    """
    z_best = z0.copy()
    f_best = f(z_best, f"{label}start".strip())
    step = FIRST_STEP
    log: list[BlockSearch] = []
    for cycle in range(cycles):
        for block_name, block in blocks.items():
            idx = [names.index(n) for n in block]
            k = len(idx)
            budget = block_budget(max_evaluations, k, len(names), cycles)
            z_start = z_best[idx].copy()
            moved = np.zeros(k, dtype=bool)

            def f_block(zb: np.ndarray, idx: list[int] = idx, z_start: np.ndarray = z_start,
                        moved: np.ndarray = moved,
                        phase: str = f"{label}fit {cycle + 1}/{cycles} {block_name}") -> float:
                moved |= zb != z_start
                z = z_best.copy()
                z[idx] = zb
                return f(z, phase)

            f_before = f_best
            res = minimize(f_block, z_best[idx], method="Powell",
                           options={"maxfev": budget, "xtol": 0.02, "ftol": 1e-4, "direc": step * np.eye(k)})
            if float(res.fun) < f_best:
                z_best[idx], f_best = res.x, float(res.fun)
            log.append(BlockSearch(start, cycle + 1, block_name, k, budget, int(res.nfev), int(res.nit),
                                   int(moved.sum()), round(f_before - f_best, 3)))
        step /= 2
    return z_best, f_best, log


def not_searched(log: list[BlockSearch], blocks: Mapping[str, Mapping[str, object]]) -> dict[str, list[str]]:
    """For each block whose search ran short in every round of ``log``, the values no round reached.

    While a search is in its first pass, it moves the values in the block's order, so a search that moved ``m``
    values moved the first ``m``.
    """
    out: dict[str, list[str]] = {}
    for name, block in blocks.items():
        reached = max((s.values_searched for s in log if s.block == name), default=0)
        if reached < len(block):
            out[name] = list(block)[reached:]
    return out
