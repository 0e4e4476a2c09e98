"""Connections of the dump loader to the warehouse file, with DuckDB's memory capped.

DuckDB's default `memory_limit` is 80% of RAM, and its buffer pool keeps what a merge of 10^7
posts reads and writes: the load of 10^7 posts peaked at 1.9 GB with it, against its 1.5 GB
goal (benchmarks/README.md). Under the cap DuckDB evicts written blocks and spills joins to disk.
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
