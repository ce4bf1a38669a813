"""Where the Dask overhead goes: the process pool against a local Dask cluster, with and without the workers'
statistical profiler, on the same replications.

    python benchmarks/bench_dask.py [--replications 32] [--scale 0.1] [--rounds 2]

Each round runs the three executors one after the other (pool, Dask without the profiler, Dask with it), so that
drift of the machine's speed hits all three alike; the table gives the median over the rounds and each Dask
variant's overhead against the pool. ``sim.executors.DaskExecutor`` starts its local cluster without the profiler;
the variant with the profiler runs on a cluster started here with Dask's default setting and is reached through its
address, as an existing cluster would be. Writes ``benchmarks/results/dask.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

import dask
from distributed import LocalCluster

sys.path.insert(0, str(Path(__file__).parent))

from run_all import baseline, timed_run  # noqa: E402

from sim.executors import DaskExecutor, PoolExecutor  # noqa: E402

OUT = Path(__file__).parent / "results" / "dask.json"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", type=int, default=32)
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    scenario = baseline(replications=args.replications, scale=args.scale)

    with dask.config.set({"distributed.worker.profile.enabled": True}):
        profiled = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                silence_logs=40)
    executors = {"process pool": PoolExecutor(2), "Dask, no profiler": DaskExecutor(local_workers=2),
                 "Dask, profiler (default)": DaskExecutor(address=profiled.scheduler_address)}
    times: dict[str, list[float]] = {name: [] for name in executors}
    try:
        for r in range(args.rounds):
            for name, ex in executors.items():
                times[name].append(timed_run(scenario, ex))
                print(f"round {r + 1}: {name:<26} {times[name][-1]:7.1f} s", flush=True)
    finally:
        for ex in executors.values():
            ex.close()
        profiled.close()
    median = {name: statistics.median(t) for name, t in times.items()}
    pool = median["process pool"]
    res = {"replications": args.replications, "scale": args.scale, "rounds": args.rounds,
           "seconds": {n: [round(x, 2) for x in t] for n, t in times.items()},
           "median_seconds": {n: round(m, 2) for n, m in median.items()},
           "overhead_against_pool": {n: round(m / pool - 1, 4) for n, m in median.items() if n != "process pool"}}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(res, indent=2) + "\n")
    print(f"\n{'executor':<26} {'median s':>9} {'overhead':>9}")
    for name, m in median.items():
        print(f"{name:<26} {m:9.1f} {m / pool - 1:9.1%}")


if __name__ == "__main__":
    main()
