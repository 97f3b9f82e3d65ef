# The two commands of the README:
#   make book   set up .venv if needed, build the HTML book (fails on any warning or cell error)
#   make test   the same set-up, `ruff check .` (fails fast, before the build), the build, then the
#               whole test suite
# CI=true (as in .ci/run) starts from an empty _build so every chapter executes from scratch.
# Chapters execute one after another inside the build. (Executing them in parallel into the
# cache first was tried and dropped: parallel nbclient workers stalled waiting for a kernel
# reply on this machine, with both fork and spawn start methods.)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-requirements
JB     := $(BIN)/jupyter-book
PYTEST_ARGS ?=

.PHONY: book test lint dupes setup clean clean-all notebooks notebooks-zip vendor bench help

help:
	@echo "make book       build the book into _build/html (creates .venv on first use)"
	@echo "make test       ruff, build, then every test tier (unit, doctest, sympy, notebooks, slow, browser, build, packaging)"
	@echo "make lint       ruff check . (the linter pinned in requirements.txt, configured in pyproject.toml)"
	@echo "make dupes      pylint's duplicate-code check over synthlib/ (repeated function bodies)"
	@echo "make notebooks  export every chapter as .ipynb into notebooks/ (classroom use)"
	@echo "make bench      run the benchmark scripts in benchmarks/"
	@echo "make clean      remove _build (keeps the execution cache: use 'make clean-all')"

# Re-install only when requirements.txt or pyproject.toml changed.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python scripts/install_kernel.py
	@touch $@

setup: $(STAMP)

# The execution cache is keyed on each chapter's code only; when synthlib changed since the
# last successful build, every chapter is re-executed so no page shows stale results.
LIB_STAMP := _build/.synthlib-executed

book: $(STAMP)
	@if [ "$$CI" = "true" ]; then rm -rf _build; fi
	@if [ -d _build/.jupyter_cache ] && { [ ! -f $(LIB_STAMP) ] || \
	    [ -n "$$(find synthlib -name '*.py' -newer $(LIB_STAMP) | head -1)" ]; }; then \
	  echo "synthlib changed since the last build: re-executing every chapter"; \
	  rm -rf _build/.jupyter_cache; fi
	# explorers precompute their static grids (synthlib.Explorer): the page responds without a kernel
	SYNTHLIB_EXPLORER_MODE=static $(JB) build -W -n --keep-going .
	# the page's .ipynb download and Binder button: converted notebooks (scripts/myst_to_notebook.py)
	$(BIN)/python scripts/export_notebooks.py --into-html --no-execute --strict
	@touch $(LIB_STAMP)

# lint is listed first so that a lint error fails before the (long) build
test: lint book
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

dupes: $(STAMP)
	$(BIN)/pylint --disable=all --enable=duplicate-code synthlib

clean:
	$(JB) clean . 2>/dev/null || rm -rf _build/html _build/jupyter_execute

clean-all:
	rm -rf _build

notebooks: $(STAMP)
	$(BIN)/python scripts/export_notebooks.py --out notebooks

notebooks-zip: $(STAMP)
	$(BIN)/python scripts/export_notebooks.py --out notebooks --zip

vendor:
	bash scripts/vendor_widgets.sh
	bash scripts/vendor_thebe.sh

bench: $(STAMP)
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done
