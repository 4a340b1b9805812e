PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
LOCK := requirements.lock
# The extras the lock covers: everything the tests and the developer tools need.
EXTRAS := --extra test --extra dev --extra postgres

.PHONY: run test lint bench lock drift clean

# Create the virtual environment and install exactly the locked versions (hashes checked),
# then calmline itself in editable mode. A new release upstream cannot change a clone.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Set everything up and open the terminal UI (results in the embedded SQLite store).
run: $(STAMP)
	$(BIN)/calmline

# Set everything up and run the whole test suite, on every core (pytest-xdist).
test: $(STAMP)
	$(BIN)/python -m pytest -n auto

# ruff, the layering contract (pyproject.toml) and mypy (strict on the engine and scoring).
lint: $(STAMP)
	$(BIN)/ruff check simulator scoring tests benchmarks
	$(BIN)/lint-imports --no-logo
	$(BIN)/mypy

bench: $(STAMP)
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

# Refresh the lock after changing a dependency in pyproject.toml (newest versions allowed).
lock: $(STAMP)
	printf 'setuptools>=68\n' | $(BIN)/uv pip compile pyproject.toml - $(EXTRAS) \
	  --generate-hashes --universal --python-version 3.11 --quiet -o $(LOCK)

# The drift job: the newest versions pyproject.toml allows, in a scratch venv, then the suite.
# A failure here is an upstream release to adapt to before the next `make lock`.
drift:
	rm -rf .venv-drift
	$(PYTHON) -m venv .venv-drift
	.venv-drift/bin/python -m pip install --quiet --upgrade pip
	.venv-drift/bin/python -m pip install --quiet --upgrade -e ".[test,dev,postgres]"
	.venv-drift/bin/python -m pytest

clean:
	rm -rf $(VENV) .venv-drift build *.egg-info .pytest_cache
