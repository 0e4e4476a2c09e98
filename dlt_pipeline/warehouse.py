"""Connections of the dump loader to the warehouse file, with DuckDB's memory capped.

DuckDB's default `memory_limit` is 80% of RAM, and its buffer pool keeps what the merge of a
large dump reads and writes, so without a cap a load's memory grows with the dump beyond the
loader's memory goal (benchmarks/README.md, "Data dump load"). Under the cap DuckDB evicts written
blocks and spills joins to disk, so memory stays bounded whatever the dump's size. The loader's
largest statements (moving the segments into the pending tables, merging them into the raw tables)
hold ~0.5 GB above the cap in appending body text, and the goal is 1.5 GB: so 512 MB, at which a
10^7-post load took as long as at 1 GB and peaked 0.6 GB lower (benchmarks/README.md).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

LOADER_MEMORY_LIMIT = "512MB"


def connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to `db_path` whose database holds at most `LOADER_MEMORY_LIMIT`."""
    connection = duckdb.connect(str(db_path))
    connection.execute(f"set memory_limit = '{LOADER_MEMORY_LIMIT}'")
    return connection
