"""Calibration to the IND tables of 2019-2023: targets (with the IND's rounding), likelihood, fit, backtest."""
