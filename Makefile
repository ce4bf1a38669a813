# Two commands on a fresh machine:
#   make run    set up, run the shipped scenarios and print their summaries (results in ./results)
#   make test   set up and run the test suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
WORKERS ?= 2

.PHONY: setup run test test-slow calibrate backtest bench schema clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

# The main job: every shipped scenario against the baseline, at half scale with 10 replications (a few
# minutes on 2 cores; marked approximate below scale 0.5). Full precision: make run SCALE=1 REPLICATIONS=20.
SCALE ?= 0.5
REPLICATIONS ?= 10
run: setup
	$(VENV)/bin/sim run scenarios/*.yaml --scale $(SCALE) --replications $(REPLICATIONS) --workers $(WORKERS) \
		--out results --force --compare-to baseline

test: setup
	$(PY) -m pytest -q

# The slow tests: a calibration from scratch, checked against the shipped one (about an hour on 2 cores).
test-slow: setup
	$(PY) -m pytest -q -m slow

# The shipped calibration and its backtest, exactly as run for src/sim/parameters/calibrated.yaml and
# docs/calibration/backtest.md (about 60 and 45 minutes on 2 cores with nothing else running).
calibrate: setup
	$(VENV)/bin/sim calibrate --replications 4 --scale 0.5 --workers $(WORKERS) --max-evaluations 600 --cycles 2 \
		--ensemble-size 20

backtest: setup
	$(VENV)/bin/sim backtest --replications 4 --scale 0.5 --workers $(WORKERS) --max-evaluations 600 --cycles 2

bench: setup
	$(PY) benchmarks/run_all.py

schema: setup
	$(VENV)/bin/sim schema

clean:
	rm -rf $(VENV) results .pytest_cache
