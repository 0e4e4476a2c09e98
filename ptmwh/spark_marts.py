"""Bring the tables a Spark build made back into the DuckDB warehouse.

`ptmwh analyze` and `ptmwh report` read the marts, the seeds and `ops.build_runs` from DuckDB, so
after `ptmwh build --engine spark` those are replaced by the Spark-built ones and they run
unchanged. Each table goes through Parquet that the SparkSession dbt used (this process) writes
beside the warehouse, as a lake would hold it: collecting a mart into the driver (`toArrow`) needs
it whole in the JVM's heap, and the view `fct_topic_question_groups` alone is one row per topic and
question (benchmarks/README.md).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

REPLACED_SCHEMAS = ("marts", "seeds")
"""Schemas whose tables the Spark build replaces in DuckDB (what the report and analysis read)."""


def naive_utc(table: pa.Table) -> pa.Table:
    """`table` with zoned timestamps as naive UTC ones, the warehouse's `timestamp` convention.

    Spark's timestamps are instants and reach Arrow in the session zone (UTC); DuckDB's marts hold
    UTC wall-clock `timestamp`s (docs/contracts.md).
    """
    fields = []
    for field in table.schema:
        if pa.types.is_timestamp(field.type) and field.type.tz is not None:
            field = field.with_type(pa.timestamp(field.type.unit))
        fields.append(field)
    return table.cast(pa.schema(fields))


def _spark_session() -> SparkSession:
    from pyspark.sql import SparkSession

    return SparkSession.getActiveSession() or SparkSession.builder.getOrCreate()


def copy_spark_marts(db_path: Path, export_dir: Path) -> dict[str, int]:
    """Replace the marts and seeds of `db_path` by the Spark session's tables and views.

    Each goes to `<export_dir>/<schema>/<table>/` as Parquet (emptied first), which DuckDB then
    reads. A view (`fct_topic_question_groups`) arrives as a table of its rows: its Spark SQL names
    Spark tables, which the DuckDB file does not hold. Spark writes timestamps as Parquet INT96,
    which DuckDB reads as naive UTC `timestamp`s, the warehouse's convention (docs/contracts.md).

    Returns:
        `schema.table` -> rows copied.
    """
    spark = _spark_session()
    shutil.rmtree(export_dir, ignore_errors=True)
    copied: dict[str, int] = {}
    with duckdb.connect(str(db_path)) as con:
        for schema in REPLACED_SCHEMAS:
            con.execute(f"create schema if not exists {schema}")
            for table in spark.catalog.listTables(schema):
                if table.isTemporary:
                    continue
                directory = (export_dir / schema / table.name).resolve()
                spark.table(f"{schema}.{table.name}").write.parquet(str(directory))
                _drop_view(con, schema, table.name)
                con.execute(
                    f'create or replace table {schema}."{table.name}" as from read_parquet(?)',
                    [str(directory / "*.parquet")],
                )
                (copied[f"{schema}.{table.name}"],) = con.execute(
                    f'select count(*) from {schema}."{table.name}"'
                ).fetchone()
    return copied


def _drop_view(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> None:
    """Drop DuckDB's view `schema.name` if there is one (a DuckDB build's view to be replaced)."""
    (is_view,) = con.execute(
        "select count(*) > 0 from information_schema.tables "
        "where table_schema = ? and table_name = ? and table_type = 'VIEW'",
        [schema, name],
    ).fetchone()
    if is_view:
        con.execute(f'drop view {schema}."{name}"')


def append_spark_build_runs(db_path: Path) -> int:
    """Append the Spark session's `ops.build_runs` rows that `db_path` lacks; return their count.

    Also after a failed Spark build: the report refuses marts whose newest build failed.
    """
    runs = naive_utc(_spark_session().table("ops.build_runs").toArrow())
    with duckdb.connect(str(db_path)) as con:
        con.register("spark_runs", runs)
        con.execute("create schema if not exists ops")
        con.execute("create table if not exists ops.build_runs as from spark_runs limit 0")
        (n_new,) = con.execute(
            "select count(*) from spark_runs "
            "where invocation_id not in (select invocation_id from ops.build_runs)"
        ).fetchone()
        con.execute(
            "insert into ops.build_runs by name select * from spark_runs "
            "where invocation_id not in (select invocation_id from ops.build_runs)"
        )
        con.unregister("spark_runs")
    return n_new
