"""Judge the calibration of ``record.py`` (``calibrated.yaml``) on seeds 1 to 10, beside the shipped one.

Needs ``../art8_entrant_relatives/fit_relatives.patch``. Three sets, judged as every candidate is (``judging.py``:
10 replications at scale 0.5): the shipped calibration (the relatives' mean at its prior, 0, which is the shipped
model), the best set of the 400-evaluation search from the same start
(``../art8_entrant_relatives/calibrated_from_shipped.json``), and this calibration's best set.

    PYTHONPATH=src python docs/calibration/experiments/warm_start_relatives/compare.py > compare.txt

With file names, the shipped calibration and the best set of each file instead, named by the file's stem:

    ... compare.py calibrated_850.yaml > compare_850.txt
"""

import json
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import judge_on_seeds, print_summary  # noqa: E402

from sim.parameters import load_calibration  # noqa: E402

HERE = Path(__file__).parent


def best_set(name: str) -> dict:
    """The best set of a calibration file in this folder."""
    return yaml.safe_load((HERE / name).read_text("utf-8"))["parameters"]


if __name__ == "__main__":
    shipped = dict(load_calibration()["parameters"])
    if len(sys.argv) > 1:
        sets = {"shipped": shipped, **{Path(name).stem: {**shipped, **best_set(name)} for name in sys.argv[1:]}}
    else:
        earlier = json.loads((HERE.parent / "art8_entrant_relatives" / "calibrated_from_shipped.json").read_text())
        sets = {"shipped": shipped, "search_400": {**shipped, **earlier["best"]},
                "start_600": {**shipped, **best_set("calibrated.yaml")}}
    print_summary(judge_on_seeds(sets, range(1, 11)), against="shipped")
