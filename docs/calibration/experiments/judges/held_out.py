"""Why the two judges disagree: a calibration's held-out seeds scored at the fit's setting and at the report's.

The calibrations at scale 0.5 are judged two ways (docs/calibration.md, next step 2): by the objective on the five
held-out seeds at the fit's own setting (4 replications at scale 0.5, ``cell`` dispersion, secondary targets
included), and by the fit report's log-likelihood with ``cell_mc`` on seeds 1 to 10 at 10 replications. For the
Art. 8 entrants without waiting and the minor siblings of AMVs the two disagree. This script scores one calibration
on its five held-out seeds both ways and in between: at 4 and at 10 replications, the cells (cells, totals and
pending counts) with ``cell``, ``cell_zero`` and ``cell_mc``, the secondary targets apart, and the number of cells
held at the floor of -50 under ``cell``. At 4 replications with ``cell`` the cells plus the secondary targets give
the objective the calibration recorded for its held-out seeds, which the script checks.

Run each calibration on its own model code (the shipped one on the shipped code, a variant with its patch
applied), then compare:

    PYTHONPATH=src python docs/calibration/experiments/judges/held_out.py --name shipped --out /tmp/shipped.json
    git apply docs/calibration/experiments/amv_minor_siblings/amv_minor_siblings.patch   # and so on
    PYTHONPATH=src python docs/calibration/experiments/judges/held_out.py --name minor_siblings --calibration
        docs/calibration/experiments/amv_minor_siblings/calibrated_half.yaml --out /tmp/minor.json   # one line
    python docs/calibration/experiments/judges/held_out.py --compare /tmp/shipped.json /tmp/minor.json
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

DISPERSIONS = ("cell", "cell_zero", "cell_mc")
REPLICATIONS = (4, 10)


def score_calibration(name: str, calibration: Path | None) -> dict[str, object]:
    """Every measure of the module's description for one calibration, one value per held-out seed."""
    from sim.calibration.io import fit_base
    from sim.calibration.likelihood import log_likelihood
    from sim.calibration.objective import secondary_objective
    from sim.calibration.report import BACKLOG_DATE
    from sim.calibration.targets import load_targets
    from sim.executors import make_executor
    from sim.parameters import load_calibration
    from sim.runner import run_scenario

    cal = load_calibration(calibration) if calibration else load_calibration()
    assert cal is not None
    m = cal["manifest"]
    seeds = list(m["held_out"]["seeds"])
    recorded = list(m["held_out"]["best_objective"])
    targets = load_targets()
    kinds = {"cell", "row_total", "column_total", "table_total", "pending"}
    scores: dict[str, list[float]] = defaultdict(list)
    executor = make_executor(2)
    try:
        for reps in REPLICATIONS:
            for seed in seeds:
                base = fit_base(argparse.Namespace(replications=reps, scale=m["scale"], seed=seed))
                scenario = base.model_copy(update={"parameters": {**base.parameters, **cal["parameters"]}})
                result = run_scenario(scenario, (BACKLOG_DATE, targets.reference_date), executor=executor)
                scores[f"secondary {reps}"].append(secondary_objective(result))
                for dispersion in DISPERSIONS:
                    ll, views = log_likelihood(targets, result.cohorts, result.years, 1, m["scale"], include=kinds,
                                               dispersion=dispersion)
                    scores[f"cells {dispersion} {reps}"].append(-ll)
                    if dispersion == "cell":
                        scores[f"floored {reps}"].append(sum(v.log_prob <= -50.0 for v in views))
                print(f"{name} | {reps} replications | seed {seed} | done", flush=True)
    finally:
        executor.close()
    objective = np.array(scores["cells cell 4"]) + np.array(scores["secondary 4"])
    if not np.allclose(objective, recorded, atol=0.01):
        raise SystemExit(f"{name}: the held-out objectives {objective.round(3).tolist()} do not reproduce the "
                         f"recorded {recorded}: this is not the calibration's model code")
    return {"name": name, "seeds": seeds, "recorded": recorded, **scores, "objective 4": objective.tolist()}


def compare(files: list[Path]) -> None:
    """Each measure's mean over the held-out seeds for every calibration, and each minus the first, paired; last,
    the cells with ``cell_mc`` plus the secondary targets."""
    sets = [json.loads(f.read_text()) for f in files]
    for s in sets:  # the fit's objective with cell_mc for the cells: free of the point masses at zero
        for reps in REPLICATIONS:
            s[f"cells cell_mc {reps} + secondary {reps}"] = (np.array(s[f"cells cell_mc {reps}"])
                                                             + np.array(s[f"secondary {reps}"])).tolist()
    keys = ["objective 4"] + [k for k in sets[0] if k not in ("name", "seeds", "recorded", "objective 4")]
    print("measure (lower is better; floored: cells at the floor) | " + " | ".join(s["name"] for s in sets)
          + " | " + " | ".join(f"{s['name']} minus {sets[0]['name']} (standard error), seeds lower"
                               for s in sets[1:]))
    for k in keys:
        means = [f"{np.mean(s[k]):.1f}" for s in sets]
        diffs = []
        for s in sets[1:]:
            d = np.array(s[k], dtype=float) - np.array(sets[0][k], dtype=float)
            diffs.append(f"{d.mean():+.1f} ({d.std(ddof=1) / np.sqrt(len(d)):.1f}), {int((d < 0).sum())} of {len(d)}")
        print(f"{k} | " + " | ".join(means) + " | " + " | ".join(diffs))


def main() -> None:
    """Score one calibration (``--out``) or compare several scored ones (``--compare``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name")
    parser.add_argument("--calibration", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--compare", nargs="+", type=Path)
    args = parser.parse_args()
    if args.compare:
        compare(args.compare)
    else:
        args.out.write_text(json.dumps(score_calibration(args.name, args.calibration)))


if __name__ == "__main__":
    main()
