"""Judge the shipped model and calibration against the nareis-only reading on seeds 1 to 10.

The two readings are different code (the patch changes how applications are counted), so each set is judged by
its own code and the scores are paired by seed afterwards:

    PYTHONPATH=src python docs/calibration/experiments/amv_table_nareis_only/compare.py shipped   # without the patch
    git apply docs/calibration/experiments/amv_table_nareis_only/nareis_only.patch
    PYTHONPATH=src python docs/calibration/experiments/amv_table_nareis_only/compare.py nareis_only
    PYTHONPATH=src python docs/calibration/experiments/amv_table_nareis_only/compare.py pair > compare.txt

``shipped`` judges ``src/sim/parameters/calibrated.yaml``, ``nareis_only`` the calibration in this folder
(``calibrated.yaml``, written by the shipped command on the patched code), each at the fit report's setting (10
replications at scale 0.5) on seeds 1 to 10; each writes its scores to ``scores_<set>.json`` here. ``pair`` prints
each set's means and the nareis-only reading minus the shipped one, seed by seed, as ``print_summary`` does.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import judge_on_seeds, print_summary  # noqa: E402

from sim.parameters import CALIBRATED_FILE, load_calibration  # noqa: E402

HERE = Path(__file__).parent
CALIBRATIONS = {"shipped": CALIBRATED_FILE, "nareis_only": HERE / "calibrated.yaml"}

if __name__ == "__main__":
    which = sys.argv[1]
    if which == "pair":
        scores = {name: json.loads((HERE / f"scores_{name}.json").read_text())[name] for name in CALIBRATIONS}
        print_summary(scores, against="shipped")
    else:
        params = dict(load_calibration(CALIBRATIONS[which])["parameters"])
        scores = judge_on_seeds({which: params}, range(1, 11))
        (HERE / f"scores_{which}.json").write_text(json.dumps(scores, indent=1) + "\n")
