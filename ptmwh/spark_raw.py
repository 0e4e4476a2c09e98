"""The raw tables as Parquet, the way a lake holds them, for a dbt build on Spark.

dlt writes the raw tables into the DuckDB warehouse; Spark reads files. Each table of the raw
schemas the dbt sources name is copied to `<dir>/<schema>/<table>/data.parquet`, and the
`schema.table -> directory` map is what the dbt var `raw_tables` hands to the on-run-start hook
that registers them (dbt_project/macros/register_raw_tables.sql).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from dlt_pipeline.raw_contract import DATASET

RAW_SCHEMAS = (DATASET, "raw_annotations")
"""The schemas of the dbt sources (`_stackexchange__sources.yml`, `_annotations__sources.yml`)."""


def export_raw_parquet(db_path: Path, out_dir: Path) -> dict[str, str]:
    """Write every table of the raw schemas of `db_path` to Parquet under `out_dir`.

    `out_dir` is emptied first, so a table dropped from the warehouse does not linger as a file.

    Returns:
        `schema.table` -> the absolute directory holding the table's Parquet file.
    """
    if out_dir.exists():
        shutil.rmtree(out_dir)
    locations: dict[str, str] = {}
    with duckdb.connect(str(db_path), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in (select unnest(?)) and table_type = 'BASE TABLE' "
            "order by 1, 2",
            [list(RAW_SCHEMAS)],
        ).fetchall()
        for schema, table in tables:
            directory = (out_dir / schema / table).resolve()
            directory.mkdir(parents=True)
            target = str(directory / "data.parquet").replace("'", "''")
            con.execute(f'copy "{schema}"."{table}" to \'{target}\' (format parquet)')
            locations[f"{schema}.{table}"] = str(directory)
    return locations
