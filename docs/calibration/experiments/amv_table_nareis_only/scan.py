"""The AMV-sibling table read as siblings who came by nareis only, scanned at the shipped calibration.

``nareis_only.patch`` applies the minor siblings who grow up (``amv_minor_siblings/amv_minor_siblings.patch``, with
the Art. 8 odds ratio's prior kept at the shipped 1.0) and counts an application in the AMV-sibling rows only when
its sponsor, a sibling of an AMV, came by nareis ("nagereisde broers en zussen van AMV"); the applications of adult
siblings who came under Art. 8 fall in the entry-route rows (nareis after Art. 8, Art. 8 after Art. 8), and the
Art. 8-after-Art. 8 odds ratio applies to them as to every other Art. 8 entrant. Every run is at the
calibration's own settings (4 replications at scale 0.5, seed 20240216) and prints the objective and its parts
under ``cell`` and the rows the change moves (2020-2023; published: AMV siblings' nareis applications <10, <10,
20, 50, Art. 8 applications <10, 20, 20, 10; nareis after Art. 8 applications <10, 40, 20, 40; Art. 8 after Art. 8
applications 110, 70, 40, 20, grants 70, 60, 10, -).

    git apply docs/calibration/experiments/amv_table_nareis_only/nareis_only.patch
    PYTHONPATH=src python docs/calibration/experiments/amv_table_nareis_only/scan.py > scan.txt
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
sys.path.insert(0, str(Path(__file__).parents[1] / "art8_entrant_relatives"))
from judging import scan_grid  # noqa: E402
from scan import scenario_at  # noqa: E402

SHARE, DELAY = "amv_minor_sibling_family_share", "amv_minor_sibling_sponsor_delay_mean_days"
GRID = [{SHARE: 0.0, DELAY: 2920.0}] + [{SHARE: s, DELAY: d} for d in (1460.0, 2190.0, 2920.0)
                                         for s in (0.1, 0.2, 0.35)]
SERIES = (("amv_sibling_nareis", "applications"), ("amv_sibling_art8", "applications"),
          ("nareis_after_art8", "applications"), ("art8_after_art8", "applications"), ("art8_after_art8", "grants"))

if __name__ == "__main__":
    scan_grid(GRID, SERIES, scenario_at)
