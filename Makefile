# Koers: `make run` starts the application with demo data, `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_RELATIONS ?= 10000

.PHONY: setup run test lint types pytest bench bench-smoke clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Koers needs Python 3.11 or newer, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/koers migrate --noinput
	$(BIN)/koers demo --relations $(DEMO_RELATIONS) --seed 1 --if-empty
	@echo "Koers draait op http://localhost:$(PORT)/ (demo-login: beheerder / koers-demo)"
	@# The background jobs' worker (the year overview) runs beside the server and stops with it.
	$(BIN)/koers db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/koers runserver --insecure $(HOST):$(PORT)

lint: setup
	$(BIN)/ruff check koers bench
	$(BIN)/ruff format --check koers bench

types: setup
	$(BIN)/mypy koers

pytest: setup
	$(BIN)/koers makemigrations --check --dry-run
	$(BIN)/pytest

# Every benchmark at a tiny size (bench/smoke.py), so that none of them rots.
bench-smoke: setup
	$(BIN)/python bench/smoke.py

test: lint types pytest bench-smoke

bench: setup
	$(BIN)/python bench/import_facts.py

clean:
	rm -rf $(VENV) var/*.sqlite3* .mypy_cache .pytest_cache .ruff_cache
