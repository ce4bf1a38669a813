"""The shipped calibration run again by ``sim calibrate`` with its own settings, compared with the shipped file.

``recalibrated.yaml`` was written by ``sim calibrate --out recalibrated.yaml`` (the shipped command, `make
calibrate`, with another destination) at a later code version; ``calibrate_log.txt`` is what it printed. This
script says which parts of the two files are identical, which manifest entries differ, and prints the new
manifest's record of how far the search got in each block and round (``search``, ``not_searched``).

    PYTHONPATH=src python docs/calibration/experiments/reproduce_shipped/compare.py > compare.txt
"""

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import print_search_record  # noqa: E402

from sim.parameters import CALIBRATED_FILE  # noqa: E402

if __name__ == "__main__":
    again = yaml.safe_load((Path(__file__).parent / "recalibrated.yaml").read_text("utf-8"))
    shipped = yaml.safe_load(CALIBRATED_FILE.read_text("utf-8"))
    for key in again:
        if key != "manifest":
            print(f"{key}: {'identical' if again[key] == shipped.get(key) else 'DIFFERENT'}")
    new, old = again["manifest"], shipped["manifest"]
    for key in sorted(set(new) | set(old)):
        if key not in ("search", "not_searched") and new.get(key) != old.get(key):
            print(f"manifest {key}: {old.get(key)!r} (shipped) -> {new.get(key)!r}")
    print(f"manifest best_objective: {new['best_objective']} (shipped {old['best_objective']}); held-out mean "
          f"{sum(new['held_out']['best_objective']) / 5:.2f} (shipped "
          f"{sum(old['held_out']['best_objective']) / 5:.2f})")
    print_search_record(new)
