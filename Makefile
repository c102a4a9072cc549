# Two commands for a newcomer: `make run` and `make test`. Each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/loket serve --config loket.toml $(ARGS)

# The suite runs on every core (pytest-xdist); `make test ARGS="-n0 tests/core"` runs part of it in one process.
test: $(STAMP)
	$(BIN)/pytest -n auto $(ARGS)

# Every script in bench/ (bench/vacatures.py builds 50,000 vacancies: about an hour here), or one:
# `make bench BENCH=bench/vacatures.py ARGS="--count 2000"`.
BENCH ?= bench/*.py
bench: $(STAMP)
	@for script in $(BENCH); do [ -e "$$script" ] || continue; echo "== $$script"; $(BIN)/python "$$script" $(ARGS); done

clean:
	rm -rf $(VENV) loket-data .pytest_cache
