"""Score the calibration then shipped and the experiments' best sets on ten held-out seeds, paired by seed.

The seeds are the calibration's seed + 1 to + 10 (the first five are the held-out seeds of the manifests), with the
run settings of the calibration shipped at the time (scale 0.25, now in ``../scale_quarter/``). For each experiment
it prints the mean difference from that best set and its standard error over the seeds: the seeds are paired, so the
seed-to-seed spread of the objective cancels out.

    PYTHONPATH=src python docs/calibration/experiments/four_rounds/compare_held_out.py
"""

import json
from pathlib import Path

import numpy as np

from sim.calibration.fit import held_out_objectives
from sim.calibration.targets import load_targets
from sim.executors import make_executor
from sim.parameters import load_calibration
from sim.scenario import SHIPPED_SCENARIOS, Scenario

HERE = Path(__file__).parent
#: The calibration shipped when this was run (scale 0.25); the shipped file has since been replaced.
PREVIOUS = Path(__file__).parents[1] / "scale_quarter" / "calibrated.yaml"
SEEDS = 10

if __name__ == "__main__":
    shipped = load_calibration(PREVIOUS)
    m = shipped["manifest"]
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml").with_run(
        replications=m["replications"], scale=m["scale"], seed=m["seed"], horizon=load_targets().reference_date)
    starts = json.loads((HERE.parent / "multi_start" / "starts.json").read_text())
    points = {"shipped": dict(shipped["parameters"]),
              "four rounds": dict(load_calibration(HERE / "calibrated.yaml")["parameters"]),
              "start 2": dict(starts["2"]["best"])}
    executor = make_executor(2)
    try:
        scores = held_out_objectives(base, executor, SEEDS, {}, points, None, True, m.get("dispersion", "cell"))
    finally:
        executor.close()
    names = list(points)
    print(f"objective on {SEEDS} held-out seeds, {m['replications']} replications at scale {m['scale']}")
    print("seed | " + " | ".join(names))
    for i, seed in enumerate(scores["seeds"]):
        print(f"{int(seed)} | " + " | ".join(f"{scores[n][i]:.2f}" for n in names))
    print("mean | " + " | ".join(f"{np.mean(scores[n]):.2f}" for n in names))
    for n in names[1:]:
        d = np.array(scores[n]) - np.array(scores["shipped"])
        print(f"{n} minus shipped: mean {d.mean():.2f}, standard error {d.std(ddof=1) / np.sqrt(len(d)):.2f}, "
              f"worse on {int((d > 0).sum())} of {len(d)} seeds")
