# Recognise: every target installs what it needs first, so each works on a fresh clone.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-dev
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
MESSAGES_IGNORE := --ignore '.venv/*' --ignore 'var/*' --ignore 'staticfiles/*' --ignore 'tests/*' --ignore 'benchmarks/*'

PORT ?= 8000
# The suite is CPU-bound: `make test` runs it in one process per core of a 2-core
# machine (pytest-xdist). TEST_PROCESSES=auto uses every core; 0 runs it in this process.
TEST_PROCESSES ?= 2

.DEFAULT_GOAL := help
.PHONY: help install run demo demo-code bench-certificates bench test lint security format check migrations messages compilemessages lock clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

# Certificate PDFs are laid out by WeasyPrint, which needs Debian's Pango, and set in
# DejaVu Sans: installed with apt when missing (so root and Debian's package index on a
# fresh machine), like gettext and chromium for the tests.
define PDF_SYSTEM_PACKAGES
	@$(BIN)/python -c "import weasyprint" 2>/dev/null || (apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null)
	@fc-list 2>/dev/null | grep -q "DejaVu Sans" || (apt-get update -qq && apt-get install -y -qq fontconfig fonts-dejavu-core >/dev/null)
endef

# The virtualenv is rebuilt only when the lock file changes, so repeated runs are quick.
$(INSTALLED): requirements/dev.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# Older pips refuse a hashed lock whose packages ask for another's extras (fonttools[woff]).
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "pip==25.3"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.lock
	$(PDF_SYSTEM_PACKAGES)
	@touch $@

install: $(INSTALLED)  ## Create .venv and install the locked dependencies

# Compiled catalogues are built, not committed.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
locale/%.mo: locale/%.po $(INSTALLED)
	$(MANAGE) compile_translations

run: $(INSTALLED) $(CATALOGUES)  ## Install, migrate, load demo content and accounts, serve on http://127.0.0.1:8000
	$(PDF_SYSTEM_PACKAGES)
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo_data
	@# The task worker runs beside the server, as in production, and stops with it.
	$(MANAGE) db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; $(MANAGE) runserver $(HOST):$(PORT)

demo: $(INSTALLED) $(CATALOGUES)  ## Load (or refresh) the demo content and accounts
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo_data

test: $(INSTALLED) $(CATALOGUES)  ## Install and run the whole test suite
	$(PDF_SYSTEM_PACKAGES)
	@command -v xgettext >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext >/dev/null)
	@# The browser tests drive Debian's chromium; Playwright never downloads a browser of its own.
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)
	@# The SAML tests' identity provider (pysaml2) signs with Debian's xmlsec1 command; the
	@# site itself needs no system package for SAML (the xmlsec wheel carries its libraries).
	@command -v xmlsec1 >/dev/null || (apt-get update -qq && apt-get install -y -qq xmlsec1 >/dev/null)
	@# A private Redis is started for the run when none answers at TEST_REDIS_URL.
	tests/with_redis.sh $(BIN)/pytest --numprocesses $(TEST_PROCESSES) --dist loadgroup

lint: $(INSTALLED)  ## Check style with ruff, the floors with import-linter, and app sizes
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(MANAGE) app_shares

security: $(INSTALLED)  ## Fail on any high-severity finding of the bandit security linter
	$(BIN)/bandit -c pyproject.toml -r . --severity-level high --quiet

format: $(INSTALLED)  ## Reformat the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations: $(INSTALLED)  ## Fail if a model change has no migration
	$(MANAGE) makemigrations --check --dry-run

messages: $(INSTALLED)  ## Update the translation catalogues in locale/ (needs GNU gettext)
	$(MANAGE) makemessages --locale cy --no-obsolete $(MESSAGES_IGNORE)

compilemessages: $(INSTALLED)  ## Compile the translation catalogues
	$(MANAGE) compile_translations

lock:  ## Re-resolve pyproject.toml into the lock files (needs PyPI)
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --python-platform x86_64-manylinux_2_28 --generate-hashes --quiet -o requirements/production.lock
	$(BIN)/uv pip compile pyproject.toml --group dev --python-version 3.11 --python-platform x86_64-manylinux_2_28 --generate-hashes --quiet -o requirements/dev.lock

clean:  ## Remove the virtualenv, local database, mail and collected static files
	rm -rf $(VENV) var staticfiles

demo-code: $(INSTALLED)  ## Print the current authenticator code for the staff demo accounts
	@$(MANAGE) demo_totp

bench-certificates: $(INSTALLED)  ## Measure certificate PDFs rendered per second on one core
	$(PDF_SYSTEM_PACKAGES)
	$(BIN)/python benchmarks/certificate_pdf.py 1000

# Needs PostgreSQL and Redis on 127.0.0.1; rebuilds the recognise_bench database and
# leaves it in place. BENCH_ARGS=--reuse keeps a complete one; --duration sets wrk's seconds.
bench: $(INSTALLED) $(CATALOGUES)  ## Requests per second of the main pages under gunicorn, against a 10,000-learner database
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)
