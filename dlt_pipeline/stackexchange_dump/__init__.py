"""The Stack Exchange data dump into the raw tables: parsed segments, then one merge.

A dump is a snapshot of its site, and memory must stay bounded although answers may come before
their question in file order, so loading runs in two steps:

1. `append_pending(db_path, batches)` appends parsed batches to the pending tables
   (`dump_*_pending`). The runner calls it once per segment of the file, so memory holds one
   segment at a time.
2. Once the whole file is read and checked, `raw_tables()` is loaded by dlt (no rows: it creates
   the raw tables and records the load), and `dump_snapshot.merge_pending` merges the pending
   questions and tags into `questions` and `question_tags` (on (`site`, `question_id`)), and the
   pending answers whose question is among them into `answers`, with `is_accepted` from the
   question's `accepted_answer_id`. The runner then marks what the dump no longer holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import dlt
import pyarrow as pa
from dlt.extract import DltResource

from study.window import Window

from ..raw_contract import DATASET, MERGE, RAW_TABLES
from ..warehouse import connect
from .batches import PostBatch
from .settings import (
    PENDING_ANSWERS_TABLE,
    PENDING_QUESTION_TAGS_TABLE,
    PENDING_QUESTIONS_TABLE,
    SNAPSHOT_TABLES,
)


def append_pending(db_path: Path, batches: Sequence[PostBatch]) -> None:
    """Append parsed dump batches (one segment of the file) to the three pending tables.

    Straight from Arrow into DuckDB, not through dlt: the pending tables are the loader's scratch,
    read back by `dump_snapshot.merge_pending`, so dlt's parquet round trip and load bookkeeping
    would only cost time (about half the load's CPU when every segment went through dlt;
    benchmarks/README.md).
    """
    parts = {
        PENDING_QUESTIONS_TABLE: [batch.questions for batch in batches],
        PENDING_QUESTION_TAGS_TABLE: [batch.question_tags for batch in batches],
        PENDING_ANSWERS_TABLE: [batch.answers for batch in batches],
    }
    with connect(db_path) as connection:
        connection.execute(f"create schema if not exists {DATASET}")
        for table, tables in parts.items():
            rows = pa.concat_tables(tables) if tables else None
            if rows is None:
                continue
            connection.register("segment_rows", rows)
            connection.execute(
                f"create table if not exists {DATASET}.{table} as "
                "select * from segment_rows limit 0"
            )
            connection.execute(f"insert into {DATASET}.{table} by name select * from segment_rows")
            connection.unregister("segment_rows")


def window_condition(column: str, windows: Sequence[Window]) -> tuple[str, list[object]]:
    """SQL that `column` (epoch seconds) lies in one of the windows, and its parameters."""
    condition = " or ".join([f"({column} >= ? and {column} < ?)"] * len(windows))
    parameters: list[object] = []
    for window in windows:
        parameters += [window.start_epoch, window.end_epoch]
    return condition, parameters


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
