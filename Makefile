# The two commands of the README: `make audit` and `make test`. Each sets up what it needs first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup audit test lint bench report clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

audit: $(STAMP)
	$(BIN)/verifier audit

test: $(STAMP)
	$(BIN)/ruff check verifier tests benchmarks reproductions
	$(BIN)/mypy verifier
	$(BIN)/python -m pytest

report: $(STAMP)
	$(BIN)/verifier report

bench: $(STAMP)
	for f in benchmarks/*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .verifier reports
