# Two commands matter: `make serve` and `make test`. Both set up .venv on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Material 9.7+ prints an end-of-life banner on every run; it is not a build problem.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test build split bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) (set PYTHON=...)"; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve

build: $(STAMP)
	@start=$$(date +%s.%N); \
	$(BIN)/mkdocs build --strict && \
	end=$$(date +%s.%N) && \
	printf 'build time: %.2f s for %s question pages (site/)\n' "$$(echo "$$end - $$start" | bc)" \
	  "$$($(BIN)/python -c 'import json; print(len(json.load(open("site/questions.json"))))')"

split: $(STAMP)
	$(BIN)/qadocs split

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf site build/docs/* $(VENV)
