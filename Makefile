# Two commands for a fresh clone: `make run` (install + process the bundled corpus)
# and `make test` (install + run the test suite). Both create .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,serve]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/yakkan batch corpus/*/source.* --db yakkan.db

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check pipeline extractors
	$(BIN)/mypy pipeline extractors

bench: $(STAMP)
	$(BIN)/python bench/bench_pdf.py
	$(BIN)/python bench/bench_extract.py
	$(BIN)/python bench/bench_batch.py
	$(BIN)/python bench/bench_serve.py

clean:
	rm -rf $(VENV) yakkan.db .pytest_cache .mypy_cache .ruff_cache
