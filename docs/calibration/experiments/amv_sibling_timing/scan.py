"""A faster chain for the siblings of AMVs (``timing.patch``), scanned at the shipped calibration.

The patch adds two values that reproduce the shipped model at their defaults: ``amv_art8_with_nareis`` (1 files an
AMV's Art. 8 applications, for adult siblings, with the nareis application, at the nareis filing delay; 0 at the
Art. 8 filing delay) and ``amv_sibling_delay_factor`` (a factor on the own-asylum and filing delays of an AMV's
sibling who came after them). Every run is at the calibration's own settings (4 replications at scale 0.5, seed
20240216) and prints the objective and its parts under ``cell`` and the AMV-sibling rows 2020-2023 (published:
nareis applications <10, <10, 20, 50 and grants <10 each year; Art. 8 applications <10, 20, 20, 10 and grants
<10, <10, -, <10).

    git apply docs/calibration/experiments/amv_sibling_timing/timing.patch
    PYTHONPATH=src python docs/calibration/experiments/amv_sibling_timing/scan.py > scan.txt

``cohorts.py`` (the shipped model, no patch) follows the AMV cohorts through the chain.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
sys.path.insert(0, str(Path(__file__).parents[1] / "art8_entrant_relatives"))
from judging import scan_grid  # noqa: E402
from scan import scenario_at  # noqa: E402

WITH, FACTOR = "amv_art8_with_nareis", "amv_sibling_delay_factor"
GRID = [{WITH: w, FACTOR: f} for w in (0.0, 1.0) for f in (1.0, 0.5, 0.25)]
SERIES = tuple((row, measure) for row in ("amv_sibling_nareis", "amv_sibling_art8")
               for measure in ("applications", "grants"))

if __name__ == "__main__":
    scan_grid(GRID, SERIES, scenario_at)
