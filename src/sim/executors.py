"""Where replications run: in this process, on a local process pool, or on a Dask cluster.

All executors take the same jobs and yield results as they complete; the runner puts them back in
replication order, so the outputs are identical whichever executor ran them. Jobs are sent in batches of
several replications, so that a small replication is not swamped by the cost of shipping it. Worker processes
pin BLAS to one thread (the model is single-threaded Python; two workers must not fight over cores).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol, TypeVar

__all__ = ["Executor", "SerialExecutor", "PoolExecutor", "DaskExecutor", "WorkerLost", "make_executor",
           "batches", "completed", "stop_pool"]

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


def completed(pool: ProcessPoolExecutor, futures: Iterable[Future[R]], poll: float = 1.0) -> Iterator[Future[R]]:
    """The futures of ``pool`` as they complete, like ``as_completed``, but raising ``BrokenProcessPool`` if the
    pool's management thread has died with futures still pending.

    On Python 3.11 that thread dies (``InvalidStateError: CANCELLED``) when a worker dies while futures cancelled
    from outside it are still queued; the remaining futures would then never complete. The thread is checked
    whenever ``poll`` seconds pass without a result.
    """
    pending = set(futures)
    while pending:
        done, pending = wait(pending, timeout=poll, return_when=FIRST_COMPLETED)
        yield from done
        if not done and not _pool_alive(pool):
            raise BrokenProcessPool("the process pool's management thread stopped with jobs pending")


def _pool_alive(pool: ProcessPoolExecutor) -> bool:
    thread = getattr(pool, "_executor_manager_thread", None)
    return not getattr(pool, "_broken", False) and (thread is None or thread.is_alive())


def stop_pool(pool: ProcessPoolExecutor, terminate: bool, grace: float = 5.0) -> None:
    """Shut ``pool`` down without waiting; its queued jobs are cancelled by the pool's own thread.

    With ``terminate``, the workers still running a job are stopped too (SIGTERM, then SIGKILL after ``grace``
    seconds) and reaped: after an interrupt or a failure nothing is left running, and no worker keeps the
    interpreter from exiting (``multiprocessing`` joins its children at exit).
    """
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    if not terminate:
        return
    for proc in processes:
        if proc.is_alive():
            proc.terminate()
    for proc in processes:
        proc.join(grace)
        if proc.is_alive():
            proc.kill()
            proc.join(grace)


class SerialExecutor:
    """Runs every job in this process, one after another."""

    name, workers = "serial", 1

    def map_unordered(self, fn: Callable[[T], R], jobs: Iterable[T]) -> Iterator[R]:  # noqa: D102
        for job in jobs:
            yield fn(job)

    def close(self) -> None:  # noqa: D102
        pass


class PoolExecutor:
    """A local process pool (``concurrent.futures``) with BLAS pinned in the workers.

    A run that ends early (an interrupt, a failed job, a lost worker, a caller that stops reading) stops the
    workers at once; after a complete run they are shut down normally.
    """

    name = "process pool"

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._unfinished = False

    def map_unordered(self, fn: Callable[[T], R], jobs: Iterable[T]) -> Iterator[R]:  # noqa: D102
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, initializer=pin_blas_threads)
        self._unfinished = True
        try:
            futures = [self._pool.submit(fn, job) for job in jobs]
            for fut in completed(self._pool, futures):
                yield fut.result()
        except BrokenProcessPool:
            self.close()
            raise WorkerLost("a worker process died before finishing (killed or out of memory); "
                             "no results were written") from None
        except BaseException:
            self.close()
            raise
        self._unfinished = False

    def close(self) -> None:  # noqa: D102
        if self._pool is not None:
            stop_pool(self._pool, terminate=self._unfinished)
            self._pool = None
        self._unfinished = False


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
