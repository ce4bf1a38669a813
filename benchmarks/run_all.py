"""The performance suite: one command, a table on screen, JSON on disk.

    python benchmarks/run_all.py [--quick]

Measures, on this machine:
1. a full-scale replication of the baseline 2014-2035: wall time, applications processed per second, SimPy
   events per second and their ratio to bare SimPy timeout dispatch measured in the same process;
2. cost growth: wall time at scale 0.25, 0.5, 1 and 2, and for horizons 2030, 2035 and 2045;
3. parallel speedup: the same replications on 2 worker processes against 1;
4. peak memory (resident set) of a process running one full-scale replication;
5. a Dask LocalCluster against the process pool on the same replications.
Timings on shared machines are noisy: compare the ratios, each measured within one run of this suite.
``--quick`` uses smaller sizes (for checking that the suite works, not for reporting).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_engine import bare_simpy_rate  # noqa: E402

from sim.executors import DaskExecutor, PoolExecutor, SerialExecutor  # noqa: E402
from sim.runner import default_as_of, run_replication, run_scenario  # noqa: E402
from sim.scenario import SHIPPED_SCENARIOS, Scenario  # noqa: E402

OUT = Path(__file__).parent / "results" / "suite.json"


def baseline(**run: object) -> Scenario:
    return Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml").with_run(**run)


def single(scale: float, horizon: str = "2035-12-31") -> dict:
    scenario = baseline(scale=scale, horizon=horizon)
    bare = bare_simpy_rate()
    out = run_replication(scenario, 0, default_as_of(scenario))
    return {"scale": scale, "horizon": horizon, "wall_seconds": round(out.wall_seconds, 3),
            "applications": out.applications, "events": out.events,
            "applications_per_second": round(out.applications / out.wall_seconds),
            "events_per_second": round(out.events / out.wall_seconds),
            "bare_simpy_events_per_second": round(bare),
            "event_rate_ratio": round(out.events / out.wall_seconds / bare, 4)}


def timed_run(scenario: Scenario, executor: object) -> float:
    t0 = time.perf_counter()
    run_scenario(scenario, executor=executor)
    return time.perf_counter() - t0


def peak_memory_mb(scale: float) -> float:
    """Peak resident set of a fresh process running one replication.

    Read from the process's own ``VmHWM`` (Linux), not from ``getrusage``: on Linux ``ru_maxrss`` survives
    ``execve``, so a child started from this suite reports the suite's own peak when that is higher (it was: the
    scale-2 replication measured before). ``ru_maxrss`` is the fallback where ``/proc`` is missing.
    """
    code = ("import resource; from pathlib import Path; from sim.scenario import Scenario, SHIPPED_SCENARIOS; "
            "from sim.runner import run_replication, default_as_of; "
            f"s = Scenario.from_yaml(SHIPPED_SCENARIOS / 'baseline.yaml').with_run(scale={scale}); "
            "run_replication(s, 0, default_as_of(s)); "
            "status = Path('/proc/self/status'); "
            "hwm = [l.split()[1] for l in status.read_text().splitlines() if l.startswith('VmHWM')] "
            "if status.exists() else []; "
            "print(hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1]) / 1024.0  # both are in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    q = args.quick
    res: dict = {"machine": {"platform": platform.platform(), "cpus": os.cpu_count(),
                             "python": platform.python_version()}, "quick": q}
    full = 0.1 if q else 1.0
    print("1. single replication ...", flush=True)
    res["single"] = single(full)
    print("2. cost growth ...", flush=True)
    scales = (0.05, 0.1) if q else (0.25, 0.5, 1.0, 2.0)
    res["growth_scale"] = [single(s) for s in scales]
    res["growth_horizon"] = [single(0.05 if q else 0.5, h) for h in ("2030-12-31", "2035-12-31", "2045-12-31")]
    print("3. parallel speedup ...", flush=True)
    reps, par_scale = (8, 0.02) if q else (64, 0.1)
    scenario = baseline(scale=par_scale, replications=reps)
    serial = timed_run(scenario, SerialExecutor())
    pool = PoolExecutor(2)
    try:
        parallel = timed_run(scenario, pool)
    finally:
        pool.close()
    res["parallel"] = {"replications": reps, "scale": par_scale, "serial_seconds": round(serial, 2),
                       "two_workers_seconds": round(parallel, 2), "speedup": round(serial / parallel, 3)}
    print("4. peak memory ...", flush=True)
    res["peak_memory_mb"] = {"scale": full, "rss_mb": round(peak_memory_mb(full), 1)}
    print("5. Dask LocalCluster against the process pool ...", flush=True)
    dask = DaskExecutor(local_workers=2)
    try:
        dask_seconds = timed_run(scenario, dask)
    finally:
        dask.close()
    res["dask"] = {"replications": reps, "scale": par_scale, "pool_seconds": round(parallel, 2),
                   "dask_seconds": round(dask_seconds, 2), "overhead": round(dask_seconds / parallel - 1, 4)}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(res, indent=2) + "\n")
    s = res["single"]
    print(f"\n{'measure':<58} {'value':>14}")
    rows = [
        (f"single replication, scale {s['scale']}: wall s", s["wall_seconds"]),
        ("  applications processed per second", s["applications_per_second"]),
        ("  SimPy events per second", s["events_per_second"]),
        ("  bare SimPy timeout dispatch per second (same process)", s["bare_simpy_events_per_second"]),
        ("  ratio model / bare dispatch", s["event_rate_ratio"]),
        *[(f"scale {g['scale']}: wall s", g["wall_seconds"]) for g in res["growth_scale"]],
        *[(f"horizon {g['horizon'][:4]} (scale {g['scale']}): wall s", g["wall_seconds"])
          for g in res["growth_horizon"]],
        (f"{reps} replications at scale {par_scale}, 1 worker: s", res["parallel"]["serial_seconds"]),
        (f"{reps} replications at scale {par_scale}, 2 workers: s", res["parallel"]["two_workers_seconds"]),
        ("  speedup 2 workers / 1", res["parallel"]["speedup"]),
        (f"peak memory of one replication at scale {full}: MB", res["peak_memory_mb"]["rss_mb"]),
        (f"Dask LocalCluster (2 workers), same {reps} replications: s", res["dask"]["dask_seconds"]),
        ("  Dask overhead against the process pool", res["dask"]["overhead"]),
    ]
    for name, value in rows:
        print(f"{name:<58} {value:>14,}")
    print(f"\nwritten to {OUT}")


if __name__ == "__main__":
    main()
