# onestop: `make demo` runs the platform with Guangzhou demo data; `make test` runs every gate.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements-dev.lock pyproject.toml 2>/dev/null | sha1sum | cut -c1-12)
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/onestop
# Where `make demo` and `make serve` listen: `make demo PORT=8001`. Taken from the command
# line only, so a shell's own HOST or PORT variable never leaks in.
HOST = 127.0.0.1
PORT = 8000

.PHONY: openapi demo test install serve seed lint typecheck gates test-sqlite test-postgres bench messages clean

demo: install
	$(BIN)/onestop migrate --noinput
	$(BIN)/onestop seed-demo
	$(BIN)/onestop serve --host $(HOST) --port $(PORT)

install: $(STAMP)

$(STAMP): requirements-dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-* && touch $@

serve: install
	$(BIN)/onestop serve --host $(HOST) --port $(PORT)

seed: install
	$(BIN)/onestop migrate --noinput
	$(BIN)/onestop seed-demo

test: install gates test-sqlite test-postgres
	@echo "make test: every gate passed"

gates: lint typecheck
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py check

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy onestop config

test-sqlite: install
	tools/ensure-chromium
	env -u DATABASE_URL -u REDIS_URL $(BIN)/pytest -p no:cacheprovider -n 2 $(PYTEST_ARGS)

# Runs the whole suite again on PostgreSQL when one is reachable (CI starts it; see .ci/run).
# ONESTOP_REQUIRE_POSTGRES=1 turns "not reachable" into a failure.
test-postgres: install
	@if tools/ensure-postgres; then \
	  DATABASE_URL=$(PG_TEST_URL) REDIS_URL=$${REDIS_URL:-} $(BIN)/pytest -p no:cacheprovider -n 2 $(PYTEST_ARGS); \
	elif [ -n "$$ONESTOP_REQUIRE_POSTGRES" ]; then \
	  echo "PostgreSQL is required but not reachable at 127.0.0.1:5432" >&2; exit 1; \
	else echo "PostgreSQL not reachable at 127.0.0.1:5432: skipped the PostgreSQL run"; fi

openapi: install
	$(BIN)/python tools/openapi_snapshot.py

bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans -l zh_Hant -l en --ignore=.venv --ignore=var --ignore=static/vendor
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf var/onestop.sqlite3* var/sms var/staticfiles var/audit
