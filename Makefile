# Two commands do everything on a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# `make test` and `make bench` also build on Spark (docs/scale.md, "Running on Spark"): the
# `spark` extra.
SPARK_STAMP := $(VENV)/.spark-installed-stamp
export PTMWH_DB ?= $(CURDIR)/data/warehouse.duckdb

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

$(SPARK_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev,spark]'
	touch $(SPARK_STAMP)

demo: $(STAMP)
	$(BIN)/ptmwh run --synthetic-sample

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	if [ -f dbt_project/dbt_project.yml ]; then \
		cd dbt_project && ../$(BIN)/sqlfluff lint models tests macros --processes 2; fi

# Two worker processes (tests/conftest.py); a module's tests stay on one worker, so its fixtures
# (a built warehouse, the Spark session) are made once.
test: $(SPARK_STAMP) lint
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 2 --dist loadscope

# `make bench BENCH_ARGS=--with-1e7` adds 10^7 questions and the 10^7-post dump load.
BENCH_ARGS ?=
bench: $(SPARK_STAMP)
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) data/*.duckdb* data/*.spark reports/site/index.html reports/site/report.md
