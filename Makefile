# Ruche — the two commands: `make run` (the demo platform) and `make test`.
# Both need only Python 3.11+: the virtualenv, PostgreSQL and Redis are taken
# care of (see scripts/local.py).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install lint format constraints messages lighthouse screenshots bench-pages bench-gallery bench-votes bench-similar bench-sepa bench-dashboard clean

run: $(STAMP)
	$(PY) scripts/local.py run

test: $(STAMP)
	$(PY) scripts/local.py test $(PYTEST_ARGS)

install: $(STAMP)

# Reinstall only when the dependencies change: a second `make run` starts at once.
$(STAMP): pyproject.toml requirements/constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerate the exact, transitive pins from pyproject.toml in a fresh virtualenv.
# Only names and versions are written: no index or download addresses.
constraints:
	rm -rf .local/constraints-venv
	$(PYTHON) -m venv .local/constraints-venv
	.local/constraints-venv/bin/pip install --quiet --upgrade pip
	.local/constraints-venv/bin/pip install --quiet '.[dev]'
	.local/constraints-venv/bin/pip freeze --exclude ruche --exclude pip \
		| grep -E '^[A-Za-z0-9_.-]+==' > requirements/constraints.txt
	rm -rf .local/constraints-venv

# Extract and compile the translations (needs GNU gettext).
messages: $(STAMP)
	$(PY) scripts/messages.py

# Lighthouse (npm, installed under .local/) on the demo's public pages, phone
# profile: a table of the four scores per page. LIGHTHOUSE_ARGS=--production
# for the production settings under gunicorn.
lighthouse: $(STAMP)
	$(PY) -m benchmarks.lighthouse $(LIGHTHOUSE_ARGS)

# The README's screenshots (docs/screenshots/), remade from the browser journeys.
screenshots: $(STAMP)
	SCREENSHOTS_DIR=docs/screenshots $(PY) scripts/local.py test -q -p no:randomly \
		tests/browser/test_journey_idea_form.py tests/browser/test_baselines.py

# Benchmarks run the real stack (gunicorn + PostgreSQL + Redis) and print figures.
bench-pages: $(STAMP)
	$(PY) -m benchmarks.bench_pages

# 100,000 ideas in one challenge: the gallery's and search's median and p95.
bench-gallery: $(STAMP)
	$(PY) -m benchmarks.bench_gallery

# Similar ideas while a title is typed (words and meaning blended), 10,000 ideas
# (BENCH_IDEAS=100000 for more): the selector's and the fragment's median and p95.
bench-similar: $(STAMP)
	$(PY) -m benchmarks.bench_similar

# Votes over HTTP (spread, then on one idea) against raw inserts: ends with `ratio:`.
bench-votes: $(STAMP)
	$(PY) -m benchmarks.bench_votes

# 1,000 approved payouts exported as one SEPA file (median, p95, queries), and
# the queries of the jury chair's round page.
bench-sepa: $(STAMP)
	$(PY) -m benchmarks.bench_sepa

# The dashboard's selectors at 100,000 ideas, 1,000,000 votes and 10,000,000
# page views (p50/p95 and queries), and the beat task's rebuild of a day.
bench-dashboard: $(STAMP)
	$(PY) -m benchmarks.bench_dashboard

clean:
	rm -rf .local $(VENV)
