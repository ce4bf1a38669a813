"""``sim calibrate --start`` from the shipped calibration with the relatives of Art. 8 entrants: its record.

Needs ``../art8_entrant_relatives/fit_relatives.patch`` (the relatives, and three more free values in the stacked
block: 41 in all). ``calibrated.yaml`` was written by the shipped command (`make calibrate`: 4 replications at scale
0.5, 600 evaluations, two rounds, an ensemble of 20) with ``--start start.yaml --out calibrated.yaml``;
``calibrate_log.txt`` is what it printed. ``start.yaml`` holds the shipped calibration's values and the relatives'
mean and delay at the best point of ``../art8_entrant_relatives/scan.py soon`` (0.5, 180 days);
``art8_prob_new_family`` starts at its prior (0.8).

Prints the start and best objectives on the calibration's seed and the five held-out seeds, the search's record
(``search``, ``not_searched``) and every fitted value at the start and in the best set, ordered by how far it moved
on the fit's stretched scale. ``compare.py`` judges the best set on other seeds.

    PYTHONPATH=src python docs/calibration/experiments/warm_start_relatives/record.py > record.txt

With a file name (``calibrated_850.yaml``: the same command at ``--max-evaluations 850``), the record of that file.
"""

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import print_search_record  # noqa: E402

from sim.calibration.fit import FREE_PARAMETERS, stretch  # noqa: E402
from sim.parameters import prior_value  # noqa: E402

HERE = Path(__file__).parent

if __name__ == "__main__":
    new = yaml.safe_load((HERE / (sys.argv[1] if len(sys.argv) > 1 else "calibrated.yaml")).read_text("utf-8"))
    given = yaml.safe_load((HERE / "start.yaml").read_text("utf-8"))["parameters"]
    start = {n: given[n] if n in given else prior_value(n) for n in FREE_PARAMETERS}
    m = new["manifest"]
    print(f"start objective {m['start_objective']}, best {m['best_objective']}, {m['evaluations']} evaluations in "
          f"{m['wall_seconds']} s; held-out seeds: start mean {sum(m['held_out']['start_objective']) / 5:.2f}, "
          f"best mean {sum(m['held_out']['best_objective']) / 5:.2f}")
    print_search_record(m)
    best = new["parameters"]
    moved = sorted(((abs(stretch(best[n], b) - stretch(start[n], b)), n) for n, b in FREE_PARAMETERS.items()),
                   reverse=True)
    print("\nvalue | start | best | moved on the stretched scale")
    for dz, n in moved:
        print(f"{n} | {start[n]:g}{'' if n in given else ' (prior)'} | {best[n]:g} | {dz:.3f}")
