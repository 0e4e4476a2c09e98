"""The dlt source of a dump load: the three raw tables it merges into, created without rows."""

from __future__ import annotations

import dlt
from dlt.extract import DltResource

from ..raw_contract import MERGE, RAW_TABLES
from .settings import SNAPSHOT_TABLES


@dlt.source(name="stackexchange_dump_snapshot", max_table_nesting=0)
def raw_tables() -> tuple[DltResource, ...]:
    """The three raw tables a dump merges into, with no rows: one dlt load that owns them.

    dlt creates the tables (and their `_dlt_load_id` column) from the contract's Arrow schemas,
    keeps their schema in `_dlt_version` and records the load in `_dlt_loads`, which dbt's staging
    and source freshness read; the rows themselves are then merged in DuckDB under that load's id
    (`dump_snapshot.merge_pending`). Streaming a million posts back through dlt's parquet files
    and staging merge took about 40% of a load's wall time (benchmarks/README.md).
    """
    return tuple(
        dlt.resource(
            [RAW_TABLES[name].schema.empty_table()],
            name=name,
            write_disposition=MERGE,
            merge_key=RAW_TABLES[name].replace_key,
        )
        for name in SNAPSHOT_TABLES
    )
