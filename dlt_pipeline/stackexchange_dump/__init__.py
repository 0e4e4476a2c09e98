"""dlt source for the Stack Exchange data dump: `Posts.xml` into the API loader's raw tables.

Loading runs in two steps so that memory stays bounded although answers may come before their
question in file order:

1. `stackexchange_dump(batches)` loads parsed batches: `questions` and `question_tags` (merged on
   `question_id`) and the raw answers into `dump_answers_pending`. The runner calls it once per
   segment of the file, so every segment is committed before the next is parsed.
2. `resolved_answers(db_path, site, windows)` reads the pending answers back from DuckDB joined to
   their question on the same site, keeps those whose question is in one of the windows, derives
   `is_accepted` from the question's `accepted_answer_id`, and merges them into `answers`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import dlt
import duckdb
import pyarrow as pa
from dlt.extract import DltResource

from ..raw_contract import ANSWERS_SCHEMA, DATASET, MERGE, RAW_TABLES
from .helpers import DumpWindow, PostBatch
from .settings import BATCH_ROWS, PENDING_ANSWERS_TABLE


@dlt.source(name="stackexchange_dump", max_table_nesting=0)
def stackexchange_dump(
    batches: Sequence[PostBatch], replace_pending: bool = True
) -> tuple[DltResource, ...]:
    """Load parsed dump batches into `questions`, `question_tags` and `dump_answers_pending`.

    Tables are merged with dlt's delete-insert on a merge key only ((`site`, `question_id`), ...):
    a dump holds each post once, so dlt's primary-key de-duplication pass (about a quarter of the
    load's CPU) is skipped, while re-loads still replace a question's row and its whole tag list.

    Args:
        batches: Arrow batches from `helpers.iter_post_batches` (one segment of the file).
        replace_pending: True for a load's first segment, which empties answers left by an earlier,
            interrupted load; later segments append.
    """

    @dlt.resource(
        name="questions", write_disposition=MERGE, merge_key=RAW_TABLES["questions"].replace_key
    )
    def questions() -> Iterator[pa.Table]:
        yield from (batch.questions for batch in batches if batch.questions.num_rows)

    @dlt.resource(
        name="question_tags",
        write_disposition=MERGE,
        merge_key=RAW_TABLES["question_tags"].replace_key,
    )
    def question_tags() -> Iterator[pa.Table]:
        yield from (batch.question_tags for batch in batches if batch.question_tags.num_rows)

    @dlt.resource(
        name=PENDING_ANSWERS_TABLE,
        write_disposition="replace" if replace_pending else "append",
    )
    def pending_answers() -> Iterator[pa.Table]:
        yield from (batch.answers for batch in batches if batch.answers.num_rows)

    return questions(), question_tags(), pending_answers()


_RESOLVE_SQL = f"""
select
    pending.site,
    pending.answer_id,
    pending.question_id,
    coalesce(questions.accepted_answer_id = pending.answer_id, false) as is_accepted,
    pending.creation_date,
    pending.last_activity_date,
    pending.score,
    pending.owner_user_id,
    pending.data_source,
    pending.is_synthetic
from {DATASET}.{PENDING_ANSWERS_TABLE} as pending
inner join {DATASET}.questions as questions
    on questions.site = pending.site and questions.question_id = pending.question_id
where pending.site = ? and ({{windows}})
"""


@dlt.resource(name="answers", write_disposition=MERGE, merge_key=RAW_TABLES["answers"].replace_key)
def resolved_answers(db_path: Path, site: str, windows: Sequence[DumpWindow]) -> Iterator[pa.Table]:
    """Answers of this load whose question is in a window, with `is_accepted` from the question.

    Reads `dump_answers_pending` joined to `questions` in DuckDB, in Arrow batches, so the id map of
    accepted answers never has to live in Python memory.

    Args:
        db_path: the warehouse file the posts were loaded into.
        site: the dump's site (domain).
        windows: the load's question windows (epoch seconds are compared).
    """
    with duckdb.connect(str(db_path)) as connection:
        found = connection.execute(
            "select count(*) from information_schema.tables where table_schema = ?"
            " and table_name in ('questions', ?)",
            [DATASET, PENDING_ANSWERS_TABLE],
        ).fetchone()
        if not found or found[0] < 2:
            return
        spans = " or ".join(
            ["(questions.creation_date >= ? and questions.creation_date < ?)"] * len(windows)
        )
        parameters: list[object] = [site]
        for window in windows:
            parameters += [window.from_epoch, window.end_epoch]
        query = _RESOLVE_SQL.format(windows=spans)
        reader = connection.execute(query, parameters).to_arrow_reader(BATCH_ROWS)
        for record_batch in reader:
            yield pa.Table.from_batches([record_batch]).cast(ANSWERS_SCHEMA)
