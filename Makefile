# Plan Portal: `make demo` and `make test` do the whole set-up on a fresh Debian 12 / Ubuntu machine.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PORT ?= 8000
HOST ?= 127.0.0.1
ENV := source scripts/env.sh &&
PY := .venv/bin/python
PYTEST_ARGS ?=
# `make test` keeps its clock here: when it started, when the set-up and the checks ended, pytest's output
RUN := .var/make-test

.PHONY: setup demo test lint format stop worker messages clean-db help

help:
	@echo "make demo   set up, load the demo gminy, serve http://$(HOST):$(PORT)"
	@echo "make test   set up, then lint and the whole test suite"
	@echo "make stop   stop the project-local PostgreSQL"

setup:
	@bash scripts/setup.sh all

demo: setup
	@$(ENV) if [ -d locale ]; then $(PY) manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules; fi
	@$(ENV) $(PY) manage.py load_demo
	@$(ENV) bash scripts/serve.sh $(HOST) $(PORT)

# Ends with what ran and how long it took, after pytest's own closing line (which CI reads).
test:
	@mkdir -p $(RUN) && date +%s > $(RUN)/started
	@bash scripts/setup.sh all
	@date +%s > $(RUN)/set-up
	@$(ENV) .venv/bin/ruff check .
	@$(ENV) .venv/bin/ruff format --check .
	@$(ENV) .venv/bin/lint-imports --no-cache
	@$(ENV) if [ -d locale ]; then $(PY) manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules; fi
	@$(ENV) $(PY) manage.py makemigrations --check --dry-run -v0
	@date +%s > $(RUN)/checked
	@$(ENV) status=0; \
	  $(PY) -m pytest $$([ -t 1 ] && echo --color=yes) $(PYTEST_ARGS) | tee $(RUN)/pytest.log || status=$$?; \
	  bash scripts/test_summary.sh $(RUN); exit $$status

lint:
	@.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/lint-imports --no-cache

format:
	@.venv/bin/ruff check --fix . && .venv/bin/ruff format .

messages:
	@$(ENV) $(PY) manage.py makemessages -l pl -l en --ignore=.venv --ignore=.var
	@$(ENV) $(PY) manage.py makemessages -d djangojs -l pl -l en --ignore=.venv --ignore=.var

stop:
	@bash scripts/setup.sh stop
