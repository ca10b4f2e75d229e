# Phản Ánh — two commands do everything: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 5000
DB_URL = $$($(PY) -m devtools.dbsetup url)
REDIS = $$($(PY) -m devtools.dbsetup redis)
export FLASK_APP := wsgi.py
# The app assumes production unless told: these targets are the demo and the tests. In development a
# missing SECRET_KEY is generated once into var/secret_key (mode 0600) and reused.
export PHANANH_ENV ?= development

.PHONY: run test lint test-faults stack venv venv-test venv-bench i18n postgis chromium age db demo serve bench wrk clean

run: venv i18n postgis db demo serve

test: venv-test lint i18n postgis chromium age db
	DATABASE_URL="$(DB_URL)" $(PY) -m pytest

# The linter and import sorter (ruff.toml), before the tests.
lint: venv-test
	$(VENV)/bin/ruff check .

# The faults suite alone (also part of `make test`): a node killed, the primary restarted, the replica
# and Redis stopped, the photo storage full — under load through nginx (tests/system/faults).
test-faults: venv-test i18n postgis db
	DATABASE_URL="$(DB_URL)" $(PY) -m pytest tests/system/faults -s

# The production shape on one machine (devtools/stack.py): nginx on STACK_PORT (8080) → two app nodes,
# the worker, a PostgreSQL primary and its streaming replica under var/stack/. Ctrl-C stops all of it.
stack: venv i18n postgis
	$(PY) -m devtools.stack run

# Three pinned sets: the runtime (what a production node installs), the tests' on top of it, the
# benchmarks' on top of those.
venv: $(VENV)/.installed
venv-test: $(VENV)/.installed-test
venv-bench: $(VENV)/.installed-bench
$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@
$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@
$(VENV)/.installed-bench: $(VENV)/.installed-test requirements-bench.txt
	$(PY) -m pip install --quiet -r requirements-bench.txt
	touch $@

i18n: venv
	$(PY) -m webapp.i18n

# A Debian package installed when missing (as root; otherwise the command to run is printed):
# $(call debian,TEST THAT IT IS THERE,PACKAGES)
define debian
	@if ! $(1); then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing $(2) from Debian's packages"; \
	    apt-get update -qq && apt-get install -y -qq $(2) >/dev/null; \
	  else echo "missing: install the Debian packages $(2) (as root: apt-get install $(2))"; exit 1; fi; \
	fi
endef

# PostgreSQL 15 + PostGIS 3 from Debian's packages, when missing.
postgis:
	$(call debian,[ -f /usr/share/postgresql/15/extension/postgis.control ],postgresql-15 postgresql-15-postgis-3)

# Debian's Chromium, for the browser tests (never a browser that a tool downloads).
chromium:
	$(call debian,[ -x /usr/bin/chromium ],chromium)

# age encrypts backups (flask ops backup; the restore drill in the tests).
age:
	$(call debian,command -v age >/dev/null,age)

db: venv postgis
	$(PY) -m devtools.dbsetup create
	DATABASE_URL="$(DB_URL)" $(VENV)/bin/flask db upgrade

# Demo accounts get DEMO_PASSWORD, or a random one printed here (set again on every run).
demo: db
	@pw="$${DEMO_PASSWORD:-$$(head -c 12 /dev/urandom | base64 | tr -d '/+=')}"; \
	  [ -n "$$DEMO_PASSWORD" ] || echo "demo accounts' password (DEMO_PASSWORD): $$pw"; \
	  DEMO_PASSWORD="$$pw" DATABASE_URL="$(DB_URL)" $(VENV)/bin/flask demo load

# Rate limits and caches shared through the local Redis when it answers (else per process; /healthz says).
# The background worker (notifications) runs beside the web server and stops with it.
serve:
	export DATABASE_URL="$(DB_URL)" REDIS_URL="$(REDIS)" PORT=$(PORT); \
	  $(VENV)/bin/flask jobs work & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(VENV)/bin/gunicorn -c python:webapp.gunicorn_conf wsgi:app

# Every benchmark, then one table of figures against targets (bench/output/summary.md). The ones on a
# million reports seed their city once (~5 min). wrk from Debian's packages drives the HTTP runs.
bench: venv-bench i18n postgis db wrk
	DATABASE_URL="$(DB_URL)" $(PY) -m bench.http
	DATABASE_URL="$(DB_URL)" $(PY) -m bench.submit
	DATABASE_URL="$(DB_URL)" $(PY) -m bench.assign
	DATABASE_URL="$(DB_URL)" $(PY) -m bench.nearest
	DATABASE_URL="$(DB_URL)" $(PY) -m bench.desk
	DATABASE_URL="$(DB_URL)" $(PY) -m bench.tiles
	DATABASE_URL="$(DB_URL)" $(PY) -m bench.dashboard
	DATABASE_URL="$(DB_URL)" $(PY) -m bench.notify --subscriptions 10000 --changes 1000 --rate 40
	$(PY) -m bench.photos
	DATABASE_URL="$(DB_URL)" $(PY) -m bench.page_load
	$(PY) -m bench.stack
	DATABASE_URL="$(DB_URL)" $(PY) -m bench.summary

wrk:
	$(call debian,command -v wrk >/dev/null,wrk)

clean:
	rm -rf $(VENV) .pytest_cache test-output
