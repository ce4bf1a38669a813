"""A calibration file's ensemble scored: how much worse than the best set each member fits.

Runs the best set and every ensemble member with the calibration's own run settings (seed, replications, scale,
dispersion) and prints their objectives, each member's distance from the best set in units of the profiles'
spreads (the sum of squares ``|u|^2``), and the effective sample size of the importance weights computed from
those numbers as `sim calibrate` computes them for a member drawn at scale 1 (a file with an ``ensemble_scale``
divides ``u`` by it). For a normal likelihood matched by the proposal a member's objective is about ``|u|^2 / 2``
above the best set's.

Run from the repository: `python docs/calibration/ensemble_check.py [--file FILE] > docs/calibration/ensemble_check.txt`
(default: the shipped calibration). The shipped file's ensemble before `sim calibrate --redraw-ensemble` is in git:
`git show a525f83:src/sim/parameters/calibrated.yaml > /tmp/before.yaml`.
"""

import argparse
from pathlib import Path

import numpy as np

from sim.calibration.ensemble import effective_sample_size
from sim.calibration.fit import FREE_PARAMETERS, _to_z, objective
from sim.calibration.targets import load_targets
from sim.executors import make_executor
from sim.parameters import load_calibration
from sim.scenario import SHIPPED_SCENARIOS, Scenario

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", type=Path, default=None, help="default: the shipped calibration")
    args = parser.parse_args()
    calibration = load_calibration(args.file) if args.file else load_calibration()
    m = calibration["manifest"]
    dispersion = m.get("dispersion", "cell")
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml").with_run(
        replications=m["replications"], scale=m["scale"], seed=m["seed"], horizon=load_targets().reference_date)
    names = list(FREE_PARAMETERS)
    best = calibration["parameters"]
    sd = np.array([calibration["identifiability"][n]["sd_z"] for n in names]) * m.get("ensemble_scale", 1.0)
    z_best = np.array([_to_z(n, best[n]) for n in names])
    executor = make_executor(2)

    def score(params: dict[str, float]) -> float:
        """The calibration's objective for a parameter set."""
        return objective(base.model_copy(update={"parameters": params}), executor, dispersion=dispersion)[0]

    f_best = score(best)
    print(f"# {args.file or 'shipped calibration'}: code {m['code_version']}, seed {m['seed']}, "
          f"{m['replications']} replications at scale {m['scale']}, {dispersion} dispersion, "
          f"ensemble scale {m.get('ensemble_scale', 1.0)}")
    print(f"best set: objective {f_best:.3f} (recorded {m['best_objective']:.3f})")
    print("member  objective  above_best  |u|^2")
    rows = []
    for i, member in enumerate(calibration["ensemble"]):
        u = (np.array([_to_z(n, member[n]) for n in names]) - z_best) / sd
        f = score(member)
        rows.append((f, float(np.sum(u ** 2))))
        print(f"{i:>6}  {f:9.3f}  {f - f_best:10.3f}  {rows[-1][1]:5.1f}", flush=True)
    objectives = np.array([f for f, _ in rows])
    _, ess = effective_sample_size([-(f - f_best) + 0.5 * s for f, s in rows])
    print(f"objectives {objectives.min():.3f}-{objectives.max():.3f}, median {np.median(objectives):.3f}; "
          f"above the best set: median {np.median(objectives) - f_best:.1f} (a matched normal approximation: about "
          f"{len(names) / 2:.0f}); effective sample size of the weights {ess:.2f} of {len(rows)}")
