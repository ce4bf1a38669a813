"""Which part of the backtest's change is the held Art. 8 grant share of 2023, and which the rest of the fit.

Predicts 2023 (as `sim backtest --predict-from` does: 20 replications, judged with `cell_mc`) from the two fits'
values, each as written and with the other fit's choice for the 2023 share: the earlier fit (the share searched,
this folder's `backtest_fitted.yaml`) with its share held at its 2022 value, and the fit with the share held at the
same budget of 450 evaluations (`../backtest_450_held/backtest_fitted.yaml`) with the earlier fit's searched share.
Run from this folder:
`python swap.py > swap.txt`.
"""

from pathlib import Path

from sim.calibration.backtest import predict_2023, read_fitted, scores
from sim.calibration.io import code_version
from sim.executors import make_executor

HERE = Path(__file__).parent
SHARE, BEFORE = "art8_grant_share[2023]", "art8_grant_share[2022]"

if __name__ == "__main__":
    earlier = read_fitted(HERE / "backtest_fitted.yaml")
    held = read_fitted(HERE.parent / "backtest_450_held" / "backtest_fitted.yaml")
    searched = earlier.parameters[SHARE]
    cases = {
        "earlier fit, share searched (as written)": (earlier, {}),
        "earlier fit, share held at its 2022 value": (earlier, {SHARE: earlier.parameters[BEFORE]}),
        "held fit, share held (as written)": (held, {}),
        f"held fit, the earlier fit's searched share ({searched:.4f})": (held, {SHARE: searched}),
    }
    executor = make_executor(2)
    print(f"code {code_version()}; 20 replications, judged with cell_mc, as `sim backtest` predicts\n")
    print("| fit | share of 2023 | covered of 14 | mean absolute error | log score | Art. 8-after-nareis grants |")
    print("|---|---|---|---|---|---|")
    try:
        for label, (doc, change) in cases.items():
            values = {**doc.parameters, **change}
            rows = predict_2023(values, doc.manifest.scale, doc.manifest.seed, 20, executor)
            covered, err, score = scores(rows)
            grants = next(v.mean for v in rows if v.cell.flows == ("art8_after_nareis",) and v.cell.measure == "grants")
            print(f"| {label} | {values[SHARE]:.4f} | {covered} | {err:.1f} | {score:.1f} | "
                  f"{grants:.1f} |")
    finally:
        executor.close()
