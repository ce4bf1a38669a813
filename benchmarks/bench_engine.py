"""Engine benchmark: one full-scale replication of the baseline, against bare SimPy dispatch.

Prints a table and writes ``benchmarks/results/engine.json``. Timings are noisy on shared machines: read the
ratios, measured in the same process, rather than the absolute numbers.

    python benchmarks/bench_engine.py [--scale 1.0] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import simpy

from sim.runner import default_as_of, run_replication
from sim.scenario import SHIPPED_SCENARIOS, Scenario

OUT = Path(__file__).parent / "results" / "engine.json"


def bare_simpy_rate(n: int = 500_000) -> float:
    """Events per second of a bare SimPy process yielding timeouts (the dispatch floor)."""
    env = simpy.Environment()

    def proc(env: simpy.Environment):  # type: ignore[no-untyped-def]
        for _ in range(n):
            yield env.timeout(1.0)

    env.process(proc(env))
    t0 = time.perf_counter()
    env.run()
    return n / (time.perf_counter() - t0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    scenario = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml").with_run(scale=args.scale)
    as_of = default_as_of(scenario)
    rows = []
    for r in range(args.repeat):
        bare = bare_simpy_rate()
        out = run_replication(scenario, r, as_of)
        rows.append({
            "replication": r,
            "wall_seconds": out.wall_seconds,
            "applications": out.applications,
            "persons": out.persons,
            "events": out.events,
            "applications_per_second": out.applications / out.wall_seconds,
            "events_per_second": out.events / out.wall_seconds,
            "bare_simpy_events_per_second": bare,
            "event_rate_ratio": (out.events / out.wall_seconds) / bare,
        })
    result = {"scale": args.scale, "machine": {"platform": platform.platform(), "cpus": os.cpu_count(),
                                               "python": platform.python_version()}, "runs": rows}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{'replication':>11} {'wall s':>8} {'applications':>12} {'apps/s':>10} {'events':>9} {'events/s':>10} "
          f"{'bare SimPy ev/s':>15} {'ratio':>6}")
    for row in rows:
        print(f"{row['replication']:>11} {row['wall_seconds']:>8.2f} {row['applications']:>12,} "
              f"{row['applications_per_second']:>10,.0f} {row['events']:>9,} {row['events_per_second']:>10,.0f} "
              f"{row['bare_simpy_events_per_second']:>15,.0f} {row['event_rate_ratio']:>6.2f}")
    print(f"written to {OUT}")


if __name__ == "__main__":
    main()
