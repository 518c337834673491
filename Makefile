# The two commands of the README: `make audit` and `make test`. Each sets up what it needs first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

SNAPSHOT := .verifier/snapshot.sqlite

.PHONY: setup browser audit test lint bench report screenshot clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,ray]'
	touch $(STAMP)

# The offline arXiv snapshot index, built from the metadata shipped in data/snapshot/ (about 10 s); rebuilt when
# the index format (snapshot_build.py) changes, since an index of another format is refused.
$(SNAPSHOT): $(STAMP) $(wildcard data/snapshot/*.gz) verifier/references/snapshot_build.py
	$(BIN)/verifier index build data/snapshot/*.gz --output $(SNAPSHOT)

setup: $(STAMP) $(SNAPSHOT)

# Debian's Chromium for the browser test (Playwright's own download cannot work offline).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "the browser test needs Debian's chromium: sudo apt-get install chromium" >&2; fi; }

audit: setup
	$(BIN)/verifier audit

test: setup browser
	$(BIN)/ruff check verifier tests benchmarks reproductions scripts app.py
	$(BIN)/mypy verifier
	$(BIN)/python -m pytest

report: setup
	$(BIN)/verifier report

screenshot: setup browser
	$(BIN)/python scripts/screenshot_report.py

bench: setup
	for f in benchmarks/*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .verifier reports
