"""Where replications run: in this process, on a local process pool, or on a Dask cluster.

All executors take the same jobs and yield results as they complete; the runner puts them back in
replication order, so the outputs are identical whichever executor ran them. Jobs are sent in batches of
several replications, so that a small replication is not swamped by the cost of shipping it. Worker processes
pin BLAS to one thread (the model is single-threaded Python; two workers must not fight over cores).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol, TypeVar

__all__ = ["Executor", "SerialExecutor", "PoolExecutor", "DaskExecutor", "WorkerLost", "make_executor",
           "batches"]

T = TypeVar("T")
R = TypeVar("R")
_BLAS_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


class WorkerLost(RuntimeError):
    """A worker process died (killed, out of memory) before finishing its replications."""


class Executor(Protocol):
    """Runs ``fn`` over jobs, yielding results in completion order."""

    name: str
    workers: int

    def map_unordered(self, fn: Callable[[T], R], jobs: Iterable[T]) -> Iterator[R]:
        """Yield ``fn(job)`` for every job, in any order."""
        ...

    def close(self) -> None:
        """Release workers (idempotent)."""
        ...


def pin_blas_threads() -> None:
    """Limit BLAS and OpenMP pools to one thread in this process."""
    for var in _BLAS_VARS:
        os.environ[var] = "1"
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # optional: the environment variables cover new processes
        pass


def batches(items: list[T], n_batches: int) -> list[list[T]]:
    """Split ``items`` into at most ``n_batches`` contiguous batches of nearly equal size."""
    n_batches = max(1, min(n_batches, len(items)))
    size, extra = divmod(len(items), n_batches)
    out, start = [], 0
    for i in range(n_batches):
        end = start + size + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return [b for b in out if b]


class SerialExecutor:
    """Runs every job in this process, one after another."""

    name, workers = "serial", 1

    def map_unordered(self, fn: Callable[[T], R], jobs: Iterable[T]) -> Iterator[R]:  # noqa: D102
        for job in jobs:
            yield fn(job)

    def close(self) -> None:  # noqa: D102
        pass


class PoolExecutor:
    """A local process pool (``concurrent.futures``) with BLAS pinned in the workers."""

    name = "process pool"

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def map_unordered(self, fn: Callable[[T], R], jobs: Iterable[T]) -> Iterator[R]:  # noqa: D102
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, initializer=pin_blas_threads)
        futures = [self._pool.submit(fn, job) for job in jobs]
        try:
            for fut in as_completed(futures):
                yield fut.result()
        except BrokenProcessPool:
            self.close()
            raise WorkerLost("a worker process died before finishing (killed or out of memory); "
                             "no results were written") from None
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise

    def close(self) -> None:  # noqa: D102
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


class DaskExecutor:
    """A Dask distributed cluster: an existing scheduler (``tcp://host:port``) or a local cluster of N workers.

    Needs the ``dask`` extra (``pip install -e '.[dask]'``). The cluster's workers must have this package
    installed at the same version. A local cluster's workers run without Dask's statistical profiler; workers of
    an existing cluster are set up by whoever started them (``DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False``
    in their environment does the same).
    """

    name = "dask"

    def __init__(self, address: str | None = None, local_workers: int | None = None) -> None:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - depends on the environment
            raise RuntimeError("Dask is not installed: pip install -e '.[dask]'") from None
        self._cluster = None
        if address is not None:
            self._client = Client(address, timeout="30s")
        else:
            # The workers' statistical profiler samples every thread's stack every 10 ms, taking the GIL from a
            # replication that is pure Python; the local cluster's workers run without it (the setting is
            # handed to the worker processes when they start).
            with dask.config.set({"distributed.worker.profile.enabled": False}):
                self._cluster = LocalCluster(n_workers=local_workers or 1, threads_per_worker=1, processes=True,
                                             dashboard_address=":0", silence_logs=40)
            self._client = Client(self._cluster)
        self._client.run(pin_blas_threads)
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))

    def map_unordered(self, fn: Callable[[T], R], jobs: Iterable[T]) -> Iterator[R]:  # noqa: D102
        from distributed import as_completed as dask_as_completed
        from distributed.scheduler import KilledWorker

        futures = self._client.map(fn, list(jobs), pure=False, retries=0)
        try:
            for fut in dask_as_completed(futures):
                yield fut.result()
        except KilledWorker:
            raise WorkerLost("a Dask worker died while running replications; no results were written") from None
        finally:
            for fut in futures:
                fut.cancel()

    def close(self) -> None:  # noqa: D102
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(workers: int = 1, scheduler: str | None = None, dask_local: int | None = None) -> Any:
    """The executor for the command-line options: Dask if asked, else a process pool if ``workers > 1``."""
    if scheduler or dask_local:
        return DaskExecutor(address=scheduler, local_workers=dask_local)
    if workers > 1:
        return PoolExecutor(workers)
    return SerialExecutor()
