"""The Stack Exchange data dump into the raw tables: parsed segments, then one dlt merge.

A dump is a snapshot of its site, and memory must stay bounded although answers may come before
their question in file order, so loading runs in two steps:

1. `append_pending(db_path, batches)` appends parsed batches to the pending tables
   (`dump_*_pending`). The runner calls it once per segment of the file, so memory holds one
   segment at a time.
2. `snapshot_posts(db_path, site, windows)`, once the whole file is read and checked, merges the
   pending questions and tags into `questions` and `question_tags` (on (`site`, `question_id`)),
   and the pending answers whose question is among them into `answers`, with `is_accepted` from
   the question's `accepted_answer_id`. The runner then marks what the dump no longer holds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import dlt
import duckdb
import pyarrow as pa
from dlt.extract import DltResource

from ..raw_contract import (
    ANSWERS_SCHEMA,
    DATASET,
    MERGE,
    QUESTION_TAGS_SCHEMA,
    QUESTIONS_SCHEMA,
    RAW_TABLES,
)
from .helpers import DumpWindow, PostBatch
from .settings import (
    BATCH_ROWS,
    PENDING_ANSWERS_TABLE,
    PENDING_QUESTION_TAGS_TABLE,
    PENDING_QUESTIONS_TABLE,
)


def append_pending(db_path: Path, batches: Sequence[PostBatch]) -> None:
    """Append parsed dump batches (one segment of the file) to the three pending tables.

    Straight from Arrow into DuckDB, not through dlt: the pending tables are the loader's scratch,
    read back by `snapshot_posts`, so dlt's parquet round trip and load bookkeeping would only cost
    time (about half the load's CPU when every segment went through dlt; benchmarks/README.md).
    """
    parts = {
        PENDING_QUESTIONS_TABLE: [batch.questions for batch in batches],
        PENDING_QUESTION_TAGS_TABLE: [batch.question_tags for batch in batches],
        PENDING_ANSWERS_TABLE: [batch.answers for batch in batches],
    }
    with duckdb.connect(str(db_path)) as connection:
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


_ANSWERS_SQL = f"""
select
    {{columns}},
    coalesce(questions.accepted_answer_id = pending.answer_id, false) as is_accepted
from {DATASET}.{PENDING_ANSWERS_TABLE} as pending
inner join {DATASET}.{PENDING_QUESTIONS_TABLE} as questions
    on questions.site = pending.site and questions.question_id = pending.question_id
where pending.site = ? and ({{windows}})
"""


def window_condition(column: str, windows: Sequence[DumpWindow]) -> tuple[str, list[object]]:
    """SQL that `column` (epoch seconds) lies in one of the windows, and its parameters."""
    condition = " or ".join([f"({column} >= ? and {column} < ?)"] * len(windows))
    parameters: list[object] = []
    for window in windows:
        parameters += [window.from_epoch, window.end_epoch]
    return condition, parameters


@dlt.source(name="stackexchange_dump_snapshot", max_table_nesting=0)
def snapshot_posts(
    db_path: Path, site: str, windows: Sequence[DumpWindow]
) -> tuple[DltResource, ...]:
    """Merge the pending posts of one dump into `questions`, `question_tags` and `answers`.

    Rows are read back from DuckDB in Arrow batches, so neither the posts nor the id map of
    accepted answers ever has to live in Python memory. Tables merge with dlt's delete-insert on a
    merge key only ((`site`, `question_id`), ...): a dump holds each post once, so dlt's primary-key
    de-duplication pass (about a quarter of the load's CPU) is skipped, while a question's row and
    its whole tag list are still replaced.

    Args:
        db_path: the warehouse file the posts were appended to.
        site: the dump's site (domain).
        windows: the load's question windows (an answer is kept when its question is in one).
    """

    def read(query: str, parameters: list[object], schema: pa.Schema) -> Iterator[pa.Table]:
        with duckdb.connect(str(db_path)) as connection:
            reader = connection.execute(query, parameters).to_arrow_reader(BATCH_ROWS)
            for record_batch in reader:
                yield pa.Table.from_batches([record_batch]).select(schema.names).cast(schema)

    def pending_rows(table: str, schema: pa.Schema) -> Iterator[pa.Table]:
        columns = ", ".join(schema.names)
        yield from read(f"select {columns} from {DATASET}.{table} where site = ?", [site], schema)

    def answers() -> Iterator[pa.Table]:
        names = [name for name in ANSWERS_SCHEMA.names if name != "is_accepted"]
        columns = ", ".join(f"pending.{name}" for name in names)
        condition, parameters = window_condition("questions.creation_date", windows)
        query = _ANSWERS_SQL.format(columns=columns, windows=condition)
        yield from read(query, [site, *parameters], ANSWERS_SCHEMA)

    def merged(name: str, rows: Iterator[pa.Table]) -> DltResource:
        merge_key = RAW_TABLES[name].replace_key
        return dlt.resource(rows, name=name, write_disposition=MERGE, merge_key=merge_key)

    return (
        merged("questions", pending_rows(PENDING_QUESTIONS_TABLE, QUESTIONS_SCHEMA)),
        merged("question_tags", pending_rows(PENDING_QUESTION_TAGS_TABLE, QUESTION_TAGS_SCHEMA)),
        merged("answers", answers()),
    )
