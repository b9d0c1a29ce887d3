# careleaf: `make site` builds the sample site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve lint bench lock clean venv handouts

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# The contract of published addresses (published-urls.txt) gets the new ones first.
site: venv
	$(BIN)/careleaf links --update --quiet
	$(BIN)/mkdocs build --strict

# Each treatment's handout as a PDF (site/handouts/<slug>.pdf), printed by headless Chromium.
handouts: site
	$(BIN)/python scripts/handouts.py --site site

serve: venv
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload --dirty

test: venv
	$(BIN)/python -m pytest

lint: venv
	$(BIN)/ruff check careleaf tests scripts
	$(BIN)/ruff format --check careleaf tests scripts
	$(BIN)/mypy careleaf

lock: venv
	(echo "# Every package, pinned: `make venv` installs exactly these. Refresh with `make lock`."; $(BIN)/python -m pip freeze --exclude-editable) > requirements.lock

clean:
	rm -rf site .site.careleaf-new .site.careleaf-old $(VENV) .pytest_cache

# Options pass through: make bench BENCH="--sizes 10,100 --runs 3"
bench: venv
	$(BIN)/python scripts/benchmark.py $(BENCH)
