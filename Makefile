# Two commands matter: `make serve` and `make test`. Both set up .venv on first use.
# `make check` is the fast tier: unit and golden tests (no MkDocs, no browser) and ruff.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Material 9.7+ prints an end-of-life banner on every run; it is not a build problem.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test check build split bench corpora clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) (set PYTHON=...)"; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty

build: $(STAMP)
	@start=$$(date +%s.%N); \
	$(BIN)/mkdocs build --strict && \
	end=$$(date +%s.%N) && \
	printf 'build time: %.2f s for %s question pages (site/)\n' "$$(echo "$$end - $$start" | bc)" \
	  "$$($(BIN)/python -c 'import json; print(len(json.load(open("site/questions.json"))))')"

split: $(STAMP)
	$(BIN)/qadocs split

# The whole suite (CI), with line coverage of src/.
test: $(STAMP)
	$(BIN)/python -m pytest --cov --cov-report=term --cov-fail-under=90

# Seconds, not minutes: ruff, then every test outside tests/e2e/ and tests/scale/ (those are
# `slow`, see tests/conftest.py) on two processes (pytest-xdist; `make check N=0` runs them in this
# one). Their temp dirs go to a folder of their own, so a check does not spend its time deleting
# what an earlier full run left.
N ?= 2
check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -m "not slow" -q -n $(N) --basetemp=build/.pytest-check

bench: $(STAMP)
	$(BIN)/python bench/run.py

# The reading benchmark on the public collections of ../shared/corpora (needs QADOCS_MIRRORS):
# recall and extra pages, nothing lost, and with BUILD=1 a real mkdocs build and its links.
corpora: $(STAMP)
	$(BIN)/python bench/corpora.py $(if $(BUILD),--build)

clean:
	rm -rf site build/docs/* build/.coverage build/.pytest-check $(VENV)
