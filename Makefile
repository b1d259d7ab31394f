# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
# Both create a virtual environment in .venv (once; quick the second time).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint types check wheel clean bench

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "parkeval needs Python 3.11 or newer (found %s); run make PYTHON=python3.11" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/parkeval demo --force

# The database tests also run against a throwaway PostgreSQL cluster whenever initdb/pg_ctl
# are found (PATH or /usr/lib/postgresql/*/bin); otherwise pytest says they were skipped.
test: $(STAMP)
	$(BIN)/python -m pytest

# Province-scale benchmarks (1,000 parks × 100 tenants × 5 years); write benchmarks/RESULTS.md
# and benchmarks/RESULTS-rewards.md.
# Smaller: make bench BENCH_ARGS="--parks 100"
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)
	$(BIN)/python benchmarks/rewards.py $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check parkeval tests benchmarks
	$(BIN)/ruff format --check parkeval tests benchmarks

# mypy: strict on parkeval/domain, checked on parkeval/policy and parkeval/app (pyproject.toml).
types: $(STAMP)
	$(BIN)/mypy

# Everything CI runs (.ci/run): lint, types, then the tests.
check: lint types test

wheel: $(STAMP)
	$(BIN)/python -m pip wheel --quiet --no-deps -w dist .

clean:
	rm -rf $(VENV) dist build .pytest_cache
