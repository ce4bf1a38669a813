"""How much of a backtest's score is the prediction's own random numbers.

Predicts 2023 from each of three backtest fits (20 replications, judged with `cell_mc`, as `sim backtest
--predict-from` does) on the fit's seed and on the three seeds after it: the earlier fit with the Art. 8 grant
share of 2023 searched (this folder), the fit with that share held at 450 evaluations
(`../backtest_450_held/`) and the shipped one, held at 600 (`docs/calibration/`). Run from this folder:
`python seeds.py > seeds.txt`.
"""

from pathlib import Path

import numpy as np

from sim.calibration.backtest import predict_2023, read_fitted, scores
from sim.calibration.io import code_version
from sim.executors import make_executor

HERE = Path(__file__).parent
FITS = {
    "share searched, 450 evaluations": HERE / "backtest_fitted.yaml",
    "share held, 450 evaluations": HERE.parent / "backtest_450_held" / "backtest_fitted.yaml",
    "share held, 600 evaluations (shipped)": HERE.parents[1] / "backtest_fitted.yaml",
}
SEEDS = 4

if __name__ == "__main__":
    executor = make_executor(2)
    print(f"code {code_version()}; each fit predicted on its seed and the {SEEDS - 1} after it, 20 replications, "
          "judged with cell_mc\n")
    print("| fit | covered of 14, by seed | mean | mean absolute error, by seed | log score, by seed | mean |")
    print("|---|---|---|---|---|---|")
    try:
        for label, path in FITS.items():
            doc = read_fitted(path)
            by_seed = [scores(predict_2023(doc.parameters, doc.manifest.scale, doc.manifest.seed + k, 20, executor))
                       for k in range(SEEDS)]
            covered, errors, logs = zip(*by_seed, strict=True)
            print(f"| {label} | {', '.join(map(str, covered))} | {np.mean(covered):.1f} | "
                  f"{', '.join(f'{e:.1f}' for e in errors)} | {', '.join(f'{s:.1f}' for s in logs)} | "
                  f"{np.mean(logs):.1f} |")
    finally:
        executor.close()
