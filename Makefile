# careleaf: `make site` builds the sample site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve lint bench lock clean venv check new import handouts

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

# The W3C Nu HTML Checker (npm's vnu-jar, pinned in package-lock.json) that a test runs on
# every built page with Debian's Java: its install script, which would download a Java, is
# not run. Lighthouse (a dev dependency) stays out: `npm ci` alone installs it too.
VNU := node_modules/vnu-jar/build/dist/vnu.jar

$(VNU): package.json package-lock.json
	npm ci --omit=dev --ignore-scripts --no-audit --no-fund
	touch $@

test: venv $(VNU)
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

# The editor's commands (README, "For editors"). Values reach the commands as they are typed:
#   make check                         every page, as the build judges it (warnings fail too)
#   make new TITLE="Chemical peel"     a new treatment to fill in; SLUG=peel to choose its address
#   make import SOURCE=leaflet.txt     a draft from existing text; TITLE=, SLUG=, FORCE=1
check: venv
	$(BIN)/careleaf check --strict

new: venv
	@test -n "$$TITLE" || { echo 'Name the treatment: make new TITLE="Chemical peel" (SLUG=chemical-peel to choose its address)' >&2; exit 2; }
	$(BIN)/careleaf new "$$TITLE" $${SLUG:+--slug "$$SLUG"}

import: venv
	@test -n "$$SOURCE" || { echo 'Name the file to import: make import SOURCE=leaflet.txt (TITLE=..., SLUG=..., FORCE=1 to overwrite)' >&2; exit 2; }
	$(BIN)/careleaf import "$$SOURCE" $${TITLE:+--title "$$TITLE"} $${SLUG:+--slug "$$SLUG"} $${FORCE:+--force}
