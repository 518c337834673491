# The two commands of the README: `make audit` and `make test`. Each sets up what it needs first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

SNAPSHOT := .verifier/snapshot.sqlite

.PHONY: setup audit test lint bench report clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# The offline arXiv snapshot index, built from the metadata shipped in data/snapshot/ (about 10 s).
$(SNAPSHOT): $(STAMP) $(wildcard data/snapshot/*.gz)
	$(BIN)/verifier index build data/snapshot/*.gz --output $(SNAPSHOT)

setup: $(STAMP) $(SNAPSHOT)

audit: setup
	$(BIN)/verifier audit

test: setup
	$(BIN)/ruff check verifier tests benchmarks reproductions
	$(BIN)/mypy verifier
	$(BIN)/python -m pytest

report: setup
	$(BIN)/verifier report

bench: setup
	for f in benchmarks/*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .verifier reports
