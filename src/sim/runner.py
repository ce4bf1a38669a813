"""Replications and executors.

One replication is a pure function of (resolved scenario, replication index, as-of dates): it samples the
population from the scenario's seed, runs the engine and returns small count arrays. Replications are mapped
over an executor: serially in this process, or on a process pool (``workers > 1``). The results are put in
replication order, so the outputs are the same whichever executor ran them.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.engine import EngineResult, Model
from sim.executors import Executor, batches, make_executor
from sim.parameters import Parameters, resolve_parameters
from sim.policy import Policy
from sim.population import People, month_starts, sample_people
from sim.records import aggregate
from sim.scenario import Scenario

__all__ = ["ReplicationOutput", "RunResult", "Simulation", "simulate", "run_replication", "run_scenario",
           "default_as_of", "parameters_for"]



@dataclass(frozen=True)
class ReplicationOutput:
    """Counts of one replication at simulated size, and what it cost.

    Attributes:
        replication: its index.
        yearly, breakdown, cohorts: see :class:`sim.records.Aggregates`.
        events: SimPy events scheduled.
        applications: number of applications processed.
        persons: number of persons in the sampled population.
        wall_seconds: wall time of the replication.
    """

    replication: int
    yearly: np.ndarray
    breakdown: np.ndarray
    cohorts: np.ndarray
    events: int
    applications: int
    persons: int
    wall_seconds: float


@dataclass(frozen=True)
class RunResult:
    """All replications of one scenario, in replication order, with real-size values.

    Attributes:
        scenario: the resolved scenario that ran (run settings as used).
        as_of: the as-of dates of the cohort view.
        years: the calendar years.
        yearly, breakdown, cohorts: per-replication values at real size (counts divided by scale), with the
            replication as the first axis.
        outputs: the raw replication outputs.
        wall_seconds: wall time of the whole run.
    """

    scenario: Scenario
    as_of: tuple[dt.date, ...]
    years: tuple[int, ...]
    yearly: np.ndarray
    breakdown: np.ndarray
    cohorts: np.ndarray
    outputs: tuple[ReplicationOutput, ...]
    wall_seconds: float

    @property
    def events(self) -> int:
        """SimPy events scheduled over all replications."""
        return sum(o.events for o in self.outputs)

    @property
    def applications(self) -> int:
        """Applications processed over all replications (at simulated size)."""
        return sum(o.applications for o in self.outputs)


def default_as_of(scenario: Scenario) -> tuple[dt.date, ...]:
    """The default cohort view dates: the IND tables' reference date and the end of the horizon."""
    dates = {dt.date(2023, 12, 31), scenario.run.horizon}
    return tuple(sorted(d for d in dates if scenario.run.start <= d <= scenario.run.horizon))


def parameters_for(scenario: Scenario, replication: int | None = None) -> Parameters:
    """Resolve the parameter files for a scenario (its years, projection and overrides); with parameter
    uncertainty on, replication ``r`` uses calibration ensemble member ``r``."""
    member = replication if scenario.run.parameter_uncertainty else None
    return resolve_parameters(scenario.run.years, scenario.inflow.projection, scenario.parameters, member)


@dataclass(frozen=True)
class Simulation:
    """One replication's inputs and its engine result, before aggregation (tests and tools read the records).

    Attributes:
        params: resolved parameters.
        people: the sampled population.
        result: the engine's result (applications and events).
        months: day numbers of the month starts of the run (plus the day after).
        year_starts: day numbers of 1 January of every run year (plus the one after).
        horizon_day: the last simulated day.
    """

    params: Parameters
    people: People
    result: EngineResult
    months: np.ndarray
    year_starts: np.ndarray
    horizon_day: float


def simulate(scenario: Scenario, replication: int) -> Simulation:
    """Sample the population of one replication and run the engine on it."""
    run = scenario.run
    params = parameters_for(scenario, replication)
    policy = Policy(scenario.rule_periods(), params.model, run.start)
    horizon_day = float((run.horizon - run.start).days)
    months = month_starts(run.start, params.years)
    year_starts = months[::12]
    people = sample_people(params, run.start, horizon_day, run.scale, run.seed, replication)
    result = Model(people, params, policy, run.scale, months, year_starts, horizon_day).run()
    return Simulation(params, people, result, months, year_starts, horizon_day)


def run_replication(scenario: Scenario, replication: int, as_of: tuple[dt.date, ...]) -> ReplicationOutput:
    """Run one replication of a resolved scenario and count its applications."""
    t0 = time.perf_counter()
    sim = simulate(scenario, replication)
    as_of_ends = [float((d - scenario.run.start).days) + 1.0 for d in as_of]
    agg = aggregate(sim.result.applications, sim.year_starts, as_of_ends)
    events, n_apps, n_persons = sim.result.events, len(sim.result.applications), len(sim.people)
    del sim
    # The finished model sits in reference cycles (SimPy events left after the horizon call back into it);
    # collect them now, or a worker running many replications grows by the size of a model each time.
    gc.collect()
    return ReplicationOutput(replication, agg.yearly, agg.breakdown, agg.cohorts, events, n_apps, n_persons,
                             time.perf_counter() - t0)


def _run_batch(args: tuple[dict[str, Any], list[int], tuple[dt.date, ...]]) -> list[ReplicationOutput]:
    """Run a batch of replications of one scenario (the unit of work sent to an executor)."""
    scenario_data, replications, as_of = args
    scenario = Scenario.model_validate(scenario_data)
    return [run_replication(scenario, r, as_of) for r in replications]


def run_scenario(
    scenario: Scenario,
    as_of: Iterable[dt.date] | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    executor: Executor | None = None,
) -> RunResult:
    """Run all replications of a resolved scenario.

    Args:
        scenario: the scenario, with the run settings to use (replications, seed, scale).
        as_of: dates of the cohort view (default: :func:`default_as_of`).
        workers: processes to use when no executor is given (1: serial, in this process).
        progress: called with (done, total) as replications finish.
        executor: where to run (see :mod:`sim.executors`); by default one made from ``workers`` and closed
            after the run.
    """
    t0 = time.perf_counter()
    dates = tuple(sorted(set(as_of))) if as_of else default_as_of(scenario)
    data = scenario.model_dump(mode="json", by_alias=True)
    n = scenario.run.replications
    own = executor is None
    executor = executor if executor is not None else make_executor(workers)
    per_worker = 1 if executor.workers == 1 else 4  # several batches per worker balance the load
    jobs = [(data, batch, dates) for batch in batches(list(range(n)), executor.workers * per_worker)]
    outputs: list[ReplicationOutput] = []
    if progress:
        progress(0, n)
    try:
        for batch_out in executor.map_unordered(_run_batch, jobs):
            outputs.extend(batch_out)
            if progress:
                progress(len(outputs), n)
    finally:
        if own:
            executor.close()
    outputs.sort(key=lambda o: o.replication)
    scale = scenario.run.scale
    return RunResult(
        scenario=scenario,
        as_of=dates,
        years=scenario.run.years,
        yearly=np.stack([o.yearly for o in outputs]) / scale,
        breakdown=np.stack([o.breakdown for o in outputs]) / scale,
        cohorts=np.stack([o.cohorts for o in outputs]) / scale,
        outputs=tuple(outputs),
        wall_seconds=time.perf_counter() - t0,
    )
