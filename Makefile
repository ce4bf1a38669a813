# Two commands on a fresh machine:
#   make run    set up, run the shipped scenarios and print their summaries (results in ./results)
#   make test   set up and run the test suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
WORKERS ?= 2

.PHONY: setup run test bench schema clean

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

bench: setup
	$(PY) benchmarks/run_all.py

schema: setup
	$(VENV)/bin/sim schema

clean:
	rm -rf $(VENV) results .pytest_cache
