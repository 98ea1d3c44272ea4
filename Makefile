# Fusion Accounting: one way to set up, test, lint, run and benchmark.
# Honours PYTHON (the interpreter that imports Odoo) and ODOO_PATH (an Odoo 19 source tree);
# without them, the Odoo 19 that `make setup` provisioned in .odoo/ and .venv/ (ODOO_SOURCE: where from).
ifeq ($(origin PYTHON),undefined)
PYTHON := $(if $(wildcard .venv/bin/python),.venv/bin/python,python3)
PYTHON_GIVEN :=
else
PYTHON_GIVEN := 1
endif
export ODOO_SOURCE ODOO_ENTERPRISE_SOURCE
export ODOO_PATH
SIZE ?= small
SEED ?= 42
SEEDS ?= 20
EVAL ?=
PORT ?= 8069
DB ?= fusion_demo
TAGS ?=
TODAY ?=

.PHONY: setup test test-pure test-odoo run demo-data lint bench eval wheels help

help:
	@echo "make setup [ODOO_SOURCE=...] | test | test-pure | test-odoo [TAGS=...] | run [DB=...] | demo-data SIZE=small|medium|large DB=... SEED=n [TODAY=YYYY-MM-DD] | lint | bench | eval [SEEDS=n] [EVAL=name,...] | wheels"

setup:  ## idempotent: PostgreSQL, Chromium, wkhtmltopdf on Debian when missing; then Odoo 19 (found or provisioned) and our requirements
	bash tools/setup_system.sh
	$(PYTHON) tools/setup_odoo.py --python $(PYTHON) $(if $(PYTHON_GIVEN),--given)

test:  ## pure suite, then the Odoo suite when Odoo 19 is reachable; ends with "N passed, N failed, N skipped"
	$(PYTHON) tools/suite.py all

test-pure:
	$(PYTHON) tools/suite.py pure

test-odoo:
	$(PYTHON) tools/suite.py odoo $(if $(TAGS),--tags '$(TAGS)')

demo-data:
	$(PYTHON) tools/demo_data.py --size $(SIZE) --db $(DB) --seed $(SEED) $(if $(TODAY),--today $(TODAY))

run:  ## the main job: a demo company in a local Odoo on http://127.0.0.1:8069
	$(PYTHON) tools/run_demo.py --db $(DB) --size $(SIZE) --seed $(SEED) --port $(PORT)

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m pylint --rcfile=.pylintrc fusion_accounting_core fusion_accounting fusion_accounting_followup

bench:  ## prints one JSON document
	$(PYTHON) tools/bench.py --size $(SIZE)

eval:  ## every engine that judges books, on generated books over SEEDS seeds; prints one JSON document
	$(PYTHON) tools/eval.py --seeds $(SEEDS) $(if $(EVAL),--only $(EVAL))

wheels:  ## each addon as an OCA-style wheel in dist/, installed without dependencies in a throwaway venv as a check
	bash tools/check_wheels.sh
