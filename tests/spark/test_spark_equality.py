"""The same dbt project on DuckDB and on local Spark gives the same marts.

The synthetic demo sample (with its synthetic annotation round, so the annotation marts have rows)
is built twice: by `ptmwh build` on DuckDB, and on a copy by `ptmwh build --engine spark` (raw
tables exported to Parquet, dbt `--target spark` on a local SparkSession, marts copied back). The
copy's mart tables and seeds are dropped before the Spark build, so every table compared below was
made by Spark; its views stay, as after a DuckDB build, and must be replaced by Spark's rows.

This is also the check that the models stay portable: a model, macro, test or unit test using
DuckDB-only SQL fails the Spark build (dbt raises `BuildError`, failing the fixture), and one whose
SQL runs on Spark but means something else there (0-based arrays, `any_value` meeting a null,
decimal rounding) fails the row-for-row comparison.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

pytest.importorskip(
    "pyspark", reason="pyspark is not installed: install the `spark` extra (.[spark])"
)

from ptmwh import cli  # noqa: E402
from ptmwh.build import run_dbt  # noqa: E402
from ptmwh.spark_build import run_spark_build  # noqa: E402
from ptmwh.synthetic_annotations import run_synthetic_annotation_round  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]

RELATIVE_TOLERANCE = 1e-9
REPORT_MARTS = (
    "fct_questions",
    "fct_topic_question_groups",
    "fct_topic_questions",
    "dim_tags",
    "rpt_difficulty",
    "rpt_difficulty_by_tag",
    "rpt_load_runs",
    "rpt_popularity_tag_yearly",
    "rpt_popularity_yearly",
    "rpt_response_time_distribution",
    "rpt_tag_candidates",
    "rpt_tag_frequency",
    "rpt_tag_selection",
    "rpt_annotation_agreement",
    "rpt_taxonomy_distribution",
)
"""Every mart: those `reports/marts_reader.py` and `analysis_py/marts.py` read, and the rest."""
SEEDS = ("topics", "topic_tags", "topic_tag_decisions", "literature_baselines", "taxonomy_codes")
"""Every seed: they hold apostrophes and empty cells, which dbt-spark's own seed loader garbles."""


@dataclass
class Builds:
    """The two warehouses and the dbt nodes each build ran."""

    duckdb_path: Path
    spark_path: Path
    duckdb_nodes: list[str]
    spark_nodes: list[str]


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Builds]:
    """Load the synthetic sample once, build it on DuckDB, then a marts-less copy on Spark."""
    root = tmp_path_factory.mktemp("spark_equality")
    duckdb_path = root / "duckdb" / "warehouse.duckdb"
    spark_path = root / "spark" / "warehouse.duckdb"
    duckdb_path.parent.mkdir()
    spark_path.parent.mkdir()
    patch = pytest.MonkeyPatch()
    patch.setenv("PTMWH_DB", str(duckdb_path))
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            assert cli.main(["load", "--synthetic-sample"]) == 0
        duckdb_nodes = run_dbt(duckdb_path, "build", quiet=True)
        run_synthetic_annotation_round(duckdb_path)
        shutil.copy(duckdb_path, spark_path)
        with duckdb.connect(str(spark_path)) as con:
            # DuckDB's views stay (over tables that are gone), as after `ptmwh build`: the Spark
            # build must replace them too.
            for (table,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' and table_type = 'BASE TABLE'"
            ).fetchall():
                con.execute(f'drop table marts."{table}"')
            con.execute("drop schema seeds cascade")
        spark_nodes = run_spark_build(spark_path, quiet=True)
        yield Builds(duckdb_path, spark_path, duckdb_nodes, spark_nodes)
    finally:
        patch.undo()
        _stop_spark()


def _stop_spark() -> None:
    """Stop the session dbt started, so the rest of the test run does not carry its JVM."""
    from pyspark.sql import SparkSession

    session = SparkSession.getActiveSession()
    if session is not None:
        session.stop()


def _rows(db_path: Path, relation: str) -> tuple[list[str], list[tuple]]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        cursor = con.execute(f"select * from {relation}")
        names = [column[0] for column in cursor.description]
        return names, cursor.fetchall()


def _sort_key(row: tuple) -> tuple:
    """Rows in a stable order whatever the engine: floats to 9 digits, nulls first."""

    def key(value: object) -> tuple:
        if value is None:
            return (0, "")
        if isinstance(value, float | Decimal):
            return (1, f"{float(value):.9g}")
        if isinstance(value, list):
            return (2, repr(value))
        return (1, str(value))

    return tuple(key(value) for value in row)


def _equal(left: object, right: object) -> bool:
    if isinstance(left, float | Decimal) and isinstance(right, float | Decimal | int):
        return math.isclose(float(left), float(right), rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-12)
    if isinstance(left, int) and isinstance(right, float | Decimal):
        return _equal(right, left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_equal, left, right))
    if isinstance(left, datetime | date) or isinstance(right, datetime | date):
        return left == right
    return left == right


# The history across loads is disabled on Spark (dbt_project.yml: its snapshot needs Delta or Hudi):
# these nodes, and the tests on them, run on DuckDB only.
DUCKDB_ONLY_NODES = (
    "snap_question_counts",
    "stg_stackexchange__question_versions",
    "int_question_history",
    "rpt_difficulty_history",
    "theme",
)
"""Nodes built on DuckDB only: the history (a snapshot) and every theme node (docs/themes.md)."""
DUCKDB_ONLY_TESTS = ("int_tag_selection_",)
"""Data tests run on DuckDB only: the tag selection's steps (their mart is compared row for row)."""


def _portable(nodes: list[str]) -> list[str]:
    return sorted(
        node
        for node in nodes
        if not any(name in node for name in DUCKDB_ONLY_NODES)
        and not (node.startswith("test.") and any(name in node for name in DUCKDB_ONLY_TESTS))
    )


def test_both_builds_ran_every_model_data_test_and_unit_test(builds: Builds) -> None:
    """dbt's data and unit tests all passed on both engines (a failure raises BuildError); Spark
    ran every node but the DuckDB-only history."""
    unit_tests = [node for node in builds.spark_nodes if node.startswith("unit_test.")]
    data_tests = [node for node in builds.spark_nodes if node.startswith("test.")]
    assert unit_tests, "no unit test ran on Spark"
    assert len(data_tests) > 50, "the data tests did not run on Spark"
    assert sorted(builds.spark_nodes) == _portable(builds.duckdb_nodes)
    assert len(builds.duckdb_nodes) > len(builds.spark_nodes)


@pytest.mark.parametrize(
    "table", [f"marts.{name}" for name in REPORT_MARTS] + [f"seeds.{name}" for name in SEEDS]
)
def test_spark_tables_equal_duckdb_tables_row_for_row(builds: Builds, table: str) -> None:
    duckdb_names, duckdb_rows = _rows(builds.duckdb_path, table)
    spark_names, spark_rows = _rows(builds.spark_path, table)
    assert spark_names == duckdb_names
    assert len(spark_rows) == len(duckdb_rows)
    assert duckdb_rows, f"{table} is empty: the comparison would prove nothing"
    for duckdb_row, spark_row in zip(
        sorted(duckdb_rows, key=_sort_key), sorted(spark_rows, key=_sort_key), strict=True
    ):
        mismatched = [
            f"{name}: duckdb {left!r} != spark {right!r}"
            for name, left, right in zip(duckdb_names, duckdb_row, spark_row, strict=True)
            if not _equal(left, right)
        ]
        assert not mismatched, f"{table} row {duckdb_row}: {'; '.join(mismatched)}"


def test_report_and_analysis_run_on_the_spark_built_marts(
    builds: Builds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ptmwh analyze` and `ptmwh report` run unchanged on the marts Spark built."""
    monkeypatch.setenv("PTMWH_DB", str(builds.spark_path))
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert cli.main(["analyze", "--bootstrap", "50"]) == 0
        assert cli.main(["report", "--out", str(tmp_path)]) == 0
    html = (tmp_path / "index.html").read_text()
    with duckdb.connect(str(builds.spark_path), read_only=True) as con:
        (n_topic,) = con.execute(
            "select n_questions from marts.rpt_difficulty "
            "where topic = 'ptm' and question_group = 'topic'"
        ).fetchone()
        (status,) = con.execute(
            "select status from ops.build_runs order by started_at desc limit 1"
        ).fetchone()
    assert status == "success"
    assert f"{n_topic:,}" in html or str(n_topic) in html
    assert os.path.exists(tmp_path / "report.md")
