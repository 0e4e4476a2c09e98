"""Connections of the dump loader to the warehouse file, with DuckDB's memory capped.

DuckDB's default `memory_limit` is 80% of RAM, and its buffer pool keeps what the merge of a
large dump reads and writes, so without a cap a load's memory grows with the dump beyond the
loader's memory goal (benchmarks/README.md, "Data dump load"). Under the cap DuckDB evicts written
blocks and spills joins to disk, so memory stays bounded whatever the dump's size.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

LOADER_MEMORY_LIMIT = "1GB"


def connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to `db_path` whose database holds at most `LOADER_MEMORY_LIMIT`."""
    connection = duckdb.connect(str(db_path))
    connection.execute(f"set memory_limit = '{LOADER_MEMORY_LIMIT}'")
    return connection
