"""The process pools stop cleanly when a run ends early: no worker left running, no pool left hanging.

The case that matters: Ctrl-C at a terminal interrupts the main process and its workers together. On Python 3.11
a worker that dies while queued futures are cancelled kills the pool's management thread
(``InvalidStateError: CANCELLED``); a pool that then only cancels its futures leaves its workers running, and the
interpreter waits for them at exit. Each test runs its pool in a thread with a time limit, so a hang fails the
test instead of stopping the suite.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from sim.app.runs import AppPool
from sim.executors import PoolExecutor, WorkerLost

LIMIT = 60.0


def _first_fast(x: int) -> int:
    """Job 0 at once, the others in 5 s: when the first result arrives, both workers are busy for 5 s."""
    time.sleep(0 if x == 0 else 5.0)
    return x


def _very_slow(x: int) -> int:
    time.sleep(5.0)
    return x


def _identity(x: int) -> int:
    return x


def _within(seconds: float, fn: Callable[[], Any]) -> Any:
    """``fn()``, failing the test if it has not returned after ``seconds``."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if "error" in box:
        raise box["error"]
    return box.get("value")


def _wait_dead(processes: list[Any], seconds: float = 20.0) -> list[int]:
    """The pids among ``processes`` still alive after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(p.is_alive() for p in processes):
        time.sleep(0.05)
    return [p.pid for p in processes if p.is_alive()]


@pytest.fixture()
def thread_errors(monkeypatch):
    """Exceptions raised in background threads (such as a pool's management thread) during the test."""
    errors: list[BaseException] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: errors.append(args.exc_value))
    return errors


def test_interrupted_pool_with_a_dying_worker_stops_every_worker(thread_errors):
    """The run is interrupted (the loop reading results ends) and a worker dies, as under Ctrl-C: every worker
    is stopped by ``close`` and the pool's thread raises nothing."""
    executor = PoolExecutor(2)
    results = executor.map_unordered(_first_fast, range(12))
    assert next(results) == 0
    assert executor._pool is not None
    processes = list(executor._pool._processes.values())
    assert len(processes) == 2
    results.close()  # what KeyboardInterrupt in the reading loop does
    with contextlib.suppress(ProcessLookupError):  # already stopped by the interrupted loop
        os.kill(processes[0].pid, signal.SIGKILL)
    time.sleep(1.0)  # a pool whose queued futures were cancelled from outside fails here on Python 3.11
    _within(LIMIT, executor.close)
    assert _wait_dead(processes) == []
    assert thread_errors == []


def test_pool_closed_after_an_interrupt_outside_the_loop_stops_its_workers():
    """An interrupt between two results (the generator is not closed): ``close`` still stops the workers that
    are busy, at once, instead of letting them finish the run."""
    executor = PoolExecutor(2)
    results = executor.map_unordered(_very_slow, range(3))
    next(results)  # 5 s: the third job has just started
    processes = list(executor._pool._processes.values())
    started = time.monotonic()
    _within(LIMIT, executor.close)
    assert _wait_dead(processes) == []
    assert time.monotonic() - started < 3  # finishing the third job would take 5 s
    # A new run after close starts new workers and completes.
    assert sorted(_within(LIMIT, lambda: list(executor.map_unordered(_identity, range(5))))) == list(range(5))
    executor.close()


def test_complete_run_shuts_the_pool_down_normally():
    executor = PoolExecutor(2)
    assert sorted(_within(LIMIT, lambda: list(executor.map_unordered(_identity, range(6))))) == list(range(6))
    assert executor._unfinished is False
    processes = list(executor._pool._processes.values())
    _within(LIMIT, executor.close)
    assert _wait_dead(processes) == []


def test_app_pool_after_an_abandoned_run_and_a_lost_worker(thread_errors):
    """The app's shared pool: a session abandons its run (its queued jobs are cancelled), then a worker dies.
    The next run does not hang: it reports the lost worker or completes, the run after it completes on a new
    pool, and no worker of the broken pool is left running."""
    pool = AppPool(2)
    try:
        results = pool.map_unordered(_first_fast, range(12))
        assert next(results) == 0
        old = pool._pool
        assert old is not None
        processes = list(old._processes.values())
        results.close()  # the abandoned run's queued jobs are cancelled
        os.kill(processes[0].pid, signal.SIGKILL)
        try:
            assert sorted(_within(LIMIT, lambda: list(pool.map_unordered(_identity, range(4))))) == [0, 1, 2, 3]
        except WorkerLost:
            pass
        assert sorted(_within(LIMIT, lambda: list(pool.map_unordered(_identity, range(4))))) == [0, 1, 2, 3]
        assert pool._pool is not old
        assert _wait_dead(processes) == []
    finally:
        pool.shutdown()
    # On Python 3.11 the broken pool's thread may have failed (the defect this guards against); later Pythons
    # ignore the cancelled futures. Either way nothing else went wrong in a thread.
    assert all(type(e).__name__ == "InvalidStateError" for e in thread_errors), thread_errors


def test_completed_raises_when_the_pool_thread_is_gone():
    """``completed`` notices a pool whose management thread has stopped with futures pending."""
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from sim.executors import completed

    pool = ProcessPoolExecutor(1)
    try:
        pool._broken = "stopped for the test"  # what the pool's thread sets before it dies
        never: Future[int] = Future()
        with pytest.raises(BrokenProcessPool):
            _within(LIMIT, lambda: list(completed(pool, [never], poll=0.05)))
    finally:
        pool.shutdown()
