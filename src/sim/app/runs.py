"""Running a scenario against the baseline from the app: modes, a shared worker pool and a result cache.

- **Modes.** *Quick* (scale 0.05, 4 replications) answers in seconds and is approximate; *precise* (real size,
  20 replications) takes minutes; *custom* sets both within :data:`~sim.app.scenario_files.LIMITS`. Any run
  below scale 0.5 is marked approximate.
- **Pairing.** The baseline runs with the scenario's run settings (window, seed, scale, replications), so
  replication ``r`` of both uses the same random streams and differences are taken replication by replication.
- **Pool.** One process pool of two workers serves every session of the server (the machine has two cores);
  runs take turns. Workers start from a fork server that has imported the model once, not from the threaded
  web server.
- **Cache.** Results are kept by (scenario digest, seed, mode): the digest covers the whole resolved scenario,
  run settings included, so equal content gives the same result whatever its source.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, TypeVar

from sim.app.scenario_files import check_run, load_shipped
from sim.executors import WorkerLost, completed, pin_blas_threads, stop_pool
from sim.runner import RunResult, run_scenario
from sim.scenario import Scenario

__all__ = ["Mode", "MODES", "APPROXIMATE_BELOW", "WORKERS", "AppPool", "ResultCache", "Comparison",
           "baseline_for", "cache_key", "run_comparison", "Engine", "warm_up", "custom_mode"]

T = TypeVar("T")
R = TypeVar("R")
APPROXIMATE_BELOW = 0.5
WORKERS = 2


@dataclass(frozen=True)
class Mode:
    """How big a run is: the share of real size simulated and the number of replications."""

    key: str
    scale: float
    replications: int

    @property
    def approximate(self) -> bool:
        """Runs below scale 0.5 are approximate: their intervals are wider than at real size."""
        return self.scale < APPROXIMATE_BELOW


MODES = {"quick": Mode("quick", 0.05, 4), "precise": Mode("precise", 1.0, 20)}


def custom_mode(scale: float, replications: int) -> Mode:
    """A custom mode, checked against the app's limits.

    Raises:
        InputError: if the scale or replications are outside the limits.
    """
    check_run(replications, scale)
    return Mode("custom", float(scale), int(replications))


class AppPool:
    """A persistent process pool shared by all sessions, with the runner's executor interface.

    Unlike :class:`sim.executors.PoolExecutor` it is not closed after a run, and a pool whose worker died is
    replaced on the next run.
    """

    name = "process pool"

    def __init__(self, workers: int = WORKERS) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _get(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                ctx = multiprocessing.get_context("forkserver")
                ctx.set_forkserver_preload(["sim.runner"])
                self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx,
                                                 initializer=pin_blas_threads)
            return self._pool

    def warm_up(self) -> None:
        """Start the workers now (so the first comparison does not wait for them)."""
        pool = self._get()
        for fut in [pool.submit(pin_blas_threads) for _ in range(self.workers)]:
            fut.result()

    def map_unordered(self, fn: Callable[[T], R], jobs: Iterable[T]) -> Iterator[R]:
        """Yield ``fn(job)`` for every job as they complete; pending jobs are cancelled if the caller stops."""
        pool = self._get()
        futures: list[Future[R]] = []
        try:
            futures = [pool.submit(fn, job) for job in jobs]
            for fut in completed(pool, futures):
                yield fut.result()
        except BrokenProcessPool:
            self._discard(pool)
            raise WorkerLost("a worker process died before finishing (killed or out of memory)") from None
        finally:
            for fut in futures:
                fut.cancel()

    def close(self) -> None:
        """Nothing: the pool outlives a run (see :meth:`shutdown`)."""

    def shutdown(self) -> None:
        """Stop the workers; a later run starts new ones."""
        with self._lock:
            pool = self._pool
        if pool is not None:
            self._discard(pool)

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        """Stop ``pool``'s workers; the next run starts a new pool unless another run already has."""
        with self._lock:
            if self._pool is pool:
                self._pool = None
        stop_pool(pool, terminate=True)


class ResultCache:
    """The most recent results by key, shared by all sessions (least recently used dropped first)."""

    def __init__(self, size: int = 24) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], RunResult] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> RunResult | None:
        """The cached result, or None."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            return None

    def put(self, key: tuple[Any, ...], result: RunResult) -> None:
        """Keep a result."""
        with self._lock:
            self._items[key] = result
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


class Engine:
    """What the server shares between sessions: the pool, the cache and a turn for runs."""

    def __init__(self, workers: int = WORKERS) -> None:
        self.pool = AppPool(workers)
        self.cache = ResultCache()
        self.turn = threading.Lock()


@dataclass(frozen=True, eq=False)
class Comparison:
    """A scenario and the baseline, run with the same settings.

    Attributes:
        scenario, baseline: the two results (real-size values, replications first).
        mode: the mode they ran in.
        seconds: wall time of the comparison as the user waited for it (cached parts count zero).
        started_at: when it started (UTC, ISO 8601).
        source: ``shipped``, ``built`` or ``upload``.
    """

    scenario: RunResult
    baseline: RunResult
    mode: Mode
    seconds: float
    started_at: str
    source: str

    @property
    def approximate(self) -> bool:
        """Whether the results are approximate (scale below 0.5)."""
        return self.mode.approximate


def baseline_for(scenario: Scenario) -> Scenario:
    """The shipped baseline with the scenario's run settings (the pairing condition)."""
    return load_shipped("baseline").with_run(**scenario.run.model_dump())


def cache_key(scenario: Scenario, mode: Mode) -> tuple[str, int, str, float, int]:
    """The cache key of a run: scenario digest, seed and mode."""
    return (scenario.digest(), scenario.run.seed, mode.key, mode.scale, mode.replications)


def _cached_run(engine: Engine, scenario: Scenario, mode: Mode, progress: Callable[[int, int], None] | None,
                waiting: Callable[[], None] | None) -> RunResult:
    """The result of one scenario from the cache, or run now (one run at a time on the server)."""
    key = cache_key(scenario, mode)
    n = scenario.run.replications
    cached = engine.cache.get(key)
    if cached is None:
        if not engine.turn.acquire(blocking=False):
            if waiting:
                waiting()
            engine.turn.acquire()
        try:
            cached = engine.cache.get(key)  # another session may have run it meanwhile
            if cached is None:
                cached = run_scenario(scenario, executor=engine.pool, progress=progress)
                engine.cache.put(key, cached)
                return cached
        finally:
            engine.turn.release()
    if progress:
        progress(n, n)
    return cached


def warm_up(engine: Engine, seed: int) -> None:
    """Start the workers and run the quick baseline, so that a first quick comparison only runs the scenario."""
    try:
        engine.pool.warm_up()
        quick = MODES["quick"]
        base = load_shipped("baseline").with_run(seed=seed, scale=quick.scale, replications=quick.replications)
        _cached_run(engine, base, quick, None, None)
    except Exception:  # noqa: BLE001 - only a head start: a real run reports its own errors
        logging.getLogger(__name__).exception("warm-up failed")


def run_comparison(
    scenario: Scenario,
    mode: Mode,
    engine: Engine,
    source: str,
    progress: Callable[[str, int, int], None] | None = None,
    waiting: Callable[[], None] | None = None,
) -> Comparison:
    """Run ``scenario`` and its baseline in ``mode`` (from the cache where possible).

    Args:
        scenario: the scenario; its seed and window are kept, scale and replications come from the mode.
        mode: the run size.
        engine: the shared pool and cache.
        source: where the scenario came from (shown with the results).
        progress: called with (part, done, total), part ``baseline`` or ``scenario``.
        waiting: called once if another session's run must finish first.
    """
    t0 = time.perf_counter()
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    check_run(mode.replications, mode.scale)
    scenario = scenario.with_run(scale=mode.scale, replications=mode.replications)
    parts = {"baseline": baseline_for(scenario), "scenario": scenario}
    results: dict[str, RunResult] = {}
    for part, sc in parts.items():
        callback = (lambda done, total, p=part: progress(p, done, total)) if progress else None
        results[part] = _cached_run(engine, sc, mode, callback, waiting)
    return Comparison(results["scenario"], results["baseline"], mode, time.perf_counter() - t0, started, source)
