# Plan Portal: `make demo` and `make test` do the whole set-up on a fresh Debian 12 / Ubuntu machine.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PORT ?= 8000
HOST ?= 127.0.0.1
ENV := source scripts/env.sh &&
PY := .venv/bin/python
PYTEST_ARGS ?=

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

test: setup
	@$(ENV) .venv/bin/ruff check .
	@$(ENV) .venv/bin/ruff format --check .
	@$(ENV) .venv/bin/lint-imports --no-cache
	@$(ENV) if [ -d locale ]; then $(PY) manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules; fi
	@$(ENV) $(PY) manage.py makemigrations --check --dry-run -v0
	@$(ENV) $(PY) -m pytest $(PYTEST_ARGS)

lint:
	@.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/lint-imports --no-cache

format:
	@.venv/bin/ruff check --fix . && .venv/bin/ruff format .

messages:
	@$(ENV) $(PY) manage.py makemessages -l pl -l en --ignore=.venv --ignore=.var
	@$(ENV) $(PY) manage.py makemessages -d djangojs -l pl -l en --ignore=.venv --ignore=.var

stop:
	@bash scripts/setup.sh stop
