# Two commands matter: `make serve` and `make test`. Both set up .venv on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

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
	echo "build time: $$(echo "$$end - $$start" | bc) s for $$(ls build/docs/*/ -d | wc -l) top-level folders; $$($(BIN)/python -c 'import json;print(len(json.load(open("site/questions.json"))))') question pages"

split: $(STAMP)
	$(BIN)/qadocs split

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf site build/docs/* $(VENV)
