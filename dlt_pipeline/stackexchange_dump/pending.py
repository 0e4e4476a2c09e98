"""A dump load's parsed segments: Parquet files beside the warehouse until the whole file is read.

Nothing may reach the raw tables before the file has been read whole (its date, its id outliers
and its site are known only then), so each segment of kept posts waits somewhere. It waits as
Parquet files, not as DuckDB rows: appending a segment's question bodies to DuckDB while the
parse workers run held up to ~0.7 GB above DuckDB's memory limit in the loader process at each
append, beside the workers' own memory, and cost the parse a fifth of its time; a Parquet writer
holds one segment (benchmarks/README.md, "Data dump load"). Once the file is read and the workers
have ended, `load_pending` moves every segment into the pending tables in one statement, and the
snapshot steps (`dlt_pipeline/dump_snapshot.py`) read those tables.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..raw_contract import DATASET
from ..warehouse import connect
from .batches import PostBatch
from .settings import PENDING_ANSWERS_TABLE, PENDING_QUESTION_TAGS_TABLE, PENDING_QUESTIONS_TABLE

_BATCH_PARTS = {
    PENDING_QUESTIONS_TABLE: "questions",
    PENDING_QUESTION_TAGS_TABLE: "question_tags",
    PENDING_ANSWERS_TABLE: "answers",
}
"""Pending table -> the `PostBatch` attribute holding its rows."""

# Snappy: a fourth of the bytes for half a CPU-second more per million posts than none
# (benchmarks/README.md); the files live only while one load runs.
_COMPRESSION = "snappy"


def pending_folder(db_path: Path) -> Path:
    """Where a load of `db_path` keeps its segments: `<warehouse file>.dump-pending/` beside it."""
    return db_path.with_name(f"{db_path.name}.dump-pending")


def write_segment(db_path: Path, number: int, batches: Sequence[PostBatch]) -> None:
    """Write segment `number` of parsed batches as one Parquet file per pending table.

    Each file is written under a temporary name and renamed when complete, so an interrupted
    write never leaves a file that `load_pending` would read.
    """
    folder = pending_folder(db_path)
    folder.mkdir(exist_ok=True)
    for table, part in _BATCH_PARTS.items():
        rows = pa.concat_tables([getattr(batch, part) for batch in batches])
        final = folder / f"{table}-{number:06d}.parquet"
        partial = final.with_suffix(".partial")
        pq.write_table(rows, partial, compression=_COMPRESSION, use_dictionary=False)
        partial.replace(final)


def load_pending(db_path: Path) -> None:
    """Move every written segment into the pending tables (one transaction), then delete the files.

    A table none of whose segments was written (the file ended or failed before its first
    segment) is left as `dump_snapshot.clear_pending` left it: empty, or not yet created.
    """
    folder = pending_folder(db_path)
    with connect(db_path) as connection:
        # Rows need no order in the pending tables; without it DuckDB inserts on every core.
        connection.execute("set preserve_insertion_order = false")
        connection.execute(f"create schema if not exists {DATASET}")
        connection.execute("begin transaction")
        for table in _BATCH_PARTS:
            files = sorted(folder.glob(f"{table}-*.parquet"))
            if not files:
                continue
            paths = ", ".join("'" + str(path).replace("'", "''") + "'" for path in files)
            connection.execute(
                f"create or replace table {DATASET}.{table} as "
                f"select * from read_parquet([{paths}])"
            )
        connection.execute("commit")
    remove_segments(db_path)


def remove_segments(db_path: Path) -> None:
    """Delete the segment files of `db_path`'s load (after its merge, or left by a stopped one)."""
    shutil.rmtree(pending_folder(db_path), ignore_errors=True)
