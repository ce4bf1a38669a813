"""Judge the shipped calibration and the local refit of ``refit.py`` (its ``refit.json``) on seeds 1 to 10.

Needs ``relatives.patch``. Three sets, each at the fit report's setting (10 replications at scale 0.5): the
shipped calibration (``art8_entrant_relatives_mean`` 0, which is the shipped model), the refit, and the refit
without the relatives (its values with the mean at 0), which tells the mechanism's part from that of the values
the refit moved with it. Output as in ``art8_without_waiting/compare_half.py``.

    PYTHONPATH=src python docs/calibration/experiments/art8_entrant_relatives/compare.py [MODE]

MODE ``amv`` (needs ``amv_sibling_odds.patch``): the shipped calibration and ``refit_amv.json``'s values (output
``compare_amv.txt``). ``amv-without`` (the same patch): ``refit_amv.json``'s values with and without the
relatives (the mean at 0), paired against the latter (output ``compare_amv_without.txt``). ``from-shipped``
(needs ``fit_relatives.patch``): the shipped calibration and the best set of ``calibrate_from_shipped.py``
(output ``compare_from_shipped.txt``).
"""

import json
import sys
from pathlib import Path

from scan import MEAN

sys.path.insert(0, str(Path(__file__).parents[1]))
from judging import judge_on_seeds, print_summary  # noqa: E402

from sim.parameters import load_calibration  # noqa: E402

if __name__ == "__main__":
    here = Path(__file__).parent
    shipped = dict(load_calibration()["parameters"])
    if sys.argv[1:] == ["amv"]:
        values = json.loads((here / "refit_amv.json").read_text())["values"]
        sets = {"shipped": shipped, "amv_odds": {**shipped, **values}}
    elif sys.argv[1:] == ["amv-without"]:
        values = json.loads((here / "refit_amv.json").read_text())["values"]
        sets = {"without": {**shipped, **values, MEAN: 0.0}, "amv_odds": {**shipped, **values}}
    elif sys.argv[1:] == ["from-shipped"]:
        values = json.loads((here / "calibrated_from_shipped.json").read_text())["best"]
        sets = {"shipped": shipped, "from_shipped": {**shipped, **values}}
    else:
        values = json.loads((here / "refit.json").read_text())["values"]
        sets = {"shipped": shipped, "relatives": {**shipped, **values}, "without": {**shipped, **values, MEAN: 0.0}}
    print(f"{next(n for n in ('relatives', 'amv_odds', 'from_shipped') if n in sets)}: {values}")
    print_summary(judge_on_seeds(sets, range(1, 11)), against=list(sets)[0])
