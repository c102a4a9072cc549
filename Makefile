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

# Every script in bench/, one after the other, at its default size (about 35 minutes here), or one:
# `make bench BENCH=bench/reads.py ARGS="--count 2000"`. The slow ones: bench/search.py (10,000 and
# 50,000 vacancies, whoosh and PostgreSQL: most of the time), bench/reads.py (50,000 vacancies) and
# bench/write_path.py (up to a minute per way). Each prints one JSON object on stdout and a table
# on stderr; the full-size command lines and what each measures are in docs/performance.md.
BENCH ?= bench/*.py
bench: $(STAMP)
	@for script in $(BENCH); do [ -e "$$script" ] || continue; echo "== $$script"; $(BIN)/python "$$script" $(ARGS); done

clean:
	rm -rf $(VENV) loket-data .pytest_cache
