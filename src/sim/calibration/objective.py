"""The calibration's objective: how far one run of a candidate parameter set is from the IND's figures.

The negative interval-censored log-likelihood of the published cells, totals and pending counts
(:mod:`sim.calibration.likelihood`), plus a normal term for each secondary target (CBS arrivals, the nareis demand
of 2023, the nareis backlog of 31 October 2023, the nareis-on-nareis share of granted nareis).
"""

from __future__ import annotations

from typing import Any

from sim.calibration.likelihood import Dispersion, log_likelihood, secondary_values
from sim.calibration.report import BACKLOG_DATE, NAREIS_FLOWS
from sim.calibration.targets import Targets, load_targets
from sim.codes import COHORT_OUTCOMES, FLOWS
from sim.runner import RunResult, run_scenario
from sim.scenario import Scenario

__all__ = ["SECONDARY_REL_SD", "objective", "score", "secondary_terms", "secondary_objective"]

#: Relative standard deviation given to the secondary targets (an assumption: they are rounded statements).
SECONDARY_REL_SD = 0.10


def objective(scenario: Scenario, executor: Any, exclude_years: set[int] | None = None,
              include_pending: bool = True, dispersion: Dispersion = "cell") -> tuple[float, float, float]:
    """Negative log-likelihood of the targets for one scenario run: (total, cell part, secondary part).

    Args:
        scenario: the scenario with the candidate parameters and the calibration's run settings.
        executor: where replications run.
        exclude_years: application years left out (the backtest leaves out 2023).
        include_pending: whether the pending counts are targets.
        dispersion: how the cells' predictive variance is taken (:mod:`sim.calibration.likelihood`).
    """
    targets = load_targets()
    result = run_scenario(scenario, (BACKLOG_DATE, targets.reference_date), executor=executor)
    return score(result, exclude_years, include_pending, dispersion)


def score(result: RunResult, exclude_years: set[int] | None = None, include_pending: bool = True,
          dispersion: Dispersion = "cell") -> tuple[float, float, float]:
    """The objective of a finished run (as-of dates: the backlog date, then the targets' reference date)."""
    targets = load_targets()
    kinds = {"cell", "row_total", "column_total", "table_total"} | ({"pending"} if include_pending else set())
    ll, _ = log_likelihood(targets, result.cohorts, result.years, 1, result.scenario.run.scale, include=kinds,
                           exclude_years=exclude_years, dispersion=dispersion)
    sec = secondary_objective(result, exclude_years, include_pending)
    return -ll + sec, ll, sec


def secondary_terms(result: RunResult, exclude_years: set[int] | None = None,
                    include_pending: bool = True) -> list[tuple[str, float, float]]:
    """The secondary targets of the objective for a finished run: (name, model mean, stated figure) each."""
    targets = load_targets()
    values = secondary_values(result.yearly, result.years)
    arrivals = targets.secondary["cbs_nareis_arrivals"].values or {}
    terms: list[tuple[str, float, float]] = [
        (f"cbs_nareis_arrivals[{y}]", float(values[f"cbs_nareis_arrivals[{y}]"].mean()), target)
        for y, target in arrivals.items() if not (exclude_years and y in exclude_years)
    ]
    if not (exclude_years and 2023 in exclude_years):
        terms.append(("nareis_demand_2023", float(values["nareis_demand_2023"].mean()),
                      _stated(targets, "nareis_demand_2023")))
        if include_pending:
            f_idx = [FLOWS.index(f) for f in NAREIS_FLOWS]
            backlog = result.cohorts[:, 0][:, :, f_idx, COHORT_OUTCOMES.index("pending")].sum(axis=(1, 2))
            terms.append(("nareis_backlog_2023_10_31", float(backlog.mean()),
                          _stated(targets, "nareis_backlog_2023_10_31")))
    terms.append(("nareis_on_nareis_share", float(values["nareis_on_nareis_share"].mean()),
                  _stated(targets, "nareis_on_nareis_share")))
    return terms


def secondary_objective(result: RunResult, exclude_years: set[int] | None = None,
                        include_pending: bool = True) -> float:
    """The secondary targets' part of the objective: a normal term for each, :data:`SECONDARY_REL_SD` wide."""
    return sum(0.5 * ((model - target) / (SECONDARY_REL_SD * target)) ** 2
               for _, model, target in secondary_terms(result, exclude_years, include_pending))


def _stated(targets: Targets, name: str) -> float:
    """The single figure a secondary target states."""
    value = targets.secondary[name].value
    if value is None:
        raise ValueError(f"secondary target '{name}' states no single figure")
    return float(value)
