"""Bring the tables a Spark build made back into the DuckDB warehouse.

`ptmwh analyze` and `ptmwh report` read the marts, the seeds and `ops.build_runs` from DuckDB, so
after `ptmwh build --engine spark` those are replaced by the Spark-built ones and they run
unchanged. The tables are collected through Arrow from the SparkSession dbt used (this process).
"""

from __future__ import annotations

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


def copy_spark_marts(db_path: Path) -> dict[str, int]:
    """Replace the marts and seeds of `db_path` by the Spark session's tables and views.

    A view (`fct_topic_question_groups`) arrives as a table of its rows: its Spark SQL names Spark
    tables, which the DuckDB file does not hold.

    Returns:
        `schema.table` -> rows copied.
    """
    spark = _spark_session()
    copied: dict[str, int] = {}
    with duckdb.connect(str(db_path)) as con:
        for schema in REPLACED_SCHEMAS:
            con.execute(f"create schema if not exists {schema}")
            for table in spark.catalog.listTables(schema):
                if table.isTemporary:
                    continue
                rows = naive_utc(spark.table(f"{schema}.{table.name}").toArrow())
                con.register("spark_rows", rows)
                con.execute(f'create or replace table {schema}."{table.name}" as from spark_rows')
                con.unregister("spark_rows")
                copied[f"{schema}.{table.name}"] = rows.num_rows
    return copied


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
