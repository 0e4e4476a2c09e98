"""Run one `ptmwh load-dump`: stream a data dump into the raw tables, one commit per segment."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import dlt
import duckdb
from dlt.common.pipeline import LoadInfo
from dlt.pipeline.exceptions import PipelineStepFailed

from .raw_contract import DATASET
from .results import LoadError, LoadResult
from .runs import first_line, record_run, row_counts, run_load, source_config, warehouse_pipeline
from .stackexchange_dump import resolved_answers, stackexchange_dump
from .stackexchange_dump.helpers import (
    DumpParseError,
    DumpWindow,
    PostBatch,
    ProgressReporter,
    iter_post_batches,
    open_dump,
)
from .stackexchange_dump.settings import (
    BATCH_ROWS,
    DEFAULT_FROM_DATE,
    DEFAULT_SITE,
    DEFAULT_TO_DATE,
    PENDING_ANSWERS_TABLE,
    PIPELINE_NAME,
    SEGMENT_POSTS,
)

_RAW_TABLES = ("questions", "question_tags", "answers")


def run_dump_load(
    db_path: Path,
    path: Path,
    *,
    from_date: date | None = None,
    to_date: date | None = None,
    progress: Callable[[str], None] = print,
    include_bodies: bool = False,
    clock: Callable[[], float] = time.monotonic,
    segment_posts: int = SEGMENT_POSTS,
    batch_rows: int = BATCH_ROWS,
    site: str | None = None,
) -> LoadResult:
    """Load the questions, tags and answers of a dump's `Posts.xml` into `raw_stackexchange`.

    Questions created in the window (inclusive days, UTC) are kept with their tags, and the answers
    of those questions with `is_accepted` from the question's `AcceptedAnswerId`. Every
    `segment_posts` kept posts are committed as one dlt load, so a corrupt file or a crash keeps
    what came before it; re-running is idempotent (merge on `question_id` / `answer_id`).

    Args:
        db_path: the warehouse DuckDB file.
        path: `Posts.xml`, `Posts.xml.gz`, or a `.7z` dump archive (needs the `7z` program).
        from_date: first day of the window; default `[sources.stackexchange] from_date`.
        to_date: last day of the window; default `[sources.stackexchange] to_date`.
        progress: receives progress lines (bytes read, posts/s, ETA), at most one a second.
        include_bodies: also load question bodies (they make the load several times slower).
        clock: monotonic seconds, injectable for tests.
        segment_posts: kept posts per committed dlt load.
        batch_rows: kept posts per Arrow batch (bounds the parser's memory).
        site: the dump's site, for question links; default `[sources.stackexchange] site`.

    Returns:
        What was loaded: items per table in this run, rows per raw table after it.

    Raises:
        LoadError: the file is missing or corrupt (posts before the error stay loaded).
    """
    window = _window(from_date, to_date)
    if window.from_date > window.to_date:
        raise LoadError(f"--from {window.from_date} is after --to {window.to_date}; swap them")
    pipeline = _pipeline(db_path)
    started, started_at = clock(), datetime.now(UTC)
    site = str(source_config("site", site, default=DEFAULT_SITE))
    with open_dump(path) as stream:
        batches = iter_post_batches(
            stream,
            window,
            site=site,
            include_bodies=include_bodies,
            batch_rows=batch_rows,
            on_chunk=ProgressReporter(progress, stream.total_bytes, clock).update,
        )
        parsed = _load_segments(pipeline, batches, segment_posts)
    if parsed.last is not None:
        parsed.counts["answers"] = _resolve_answers(pipeline, db_path, window)
    message = str(parsed.error) if parsed.error else _summary(parsed, clock() - started, window)
    record_run(
        pipeline,
        _step_failure,
        command="load-dump",
        started_at=started_at,
        status="failed" if parsed.error else "completed",
        site=site,
        base_url=None,
        tags=None,
        from_date=window.from_date,
        to_date=window.to_date,
        requests_made=0,
        items_loaded=parsed.counts,
        **_skipped(parsed.last, parsed.pending_answers - parsed.counts["answers"]),
        quota_remaining=None,
        quota_max=None,
        message=message,
    )
    if parsed.error is not None:
        raise parsed.error
    progress(message)
    return LoadResult(
        items_loaded=parsed.counts,
        row_counts=row_counts(db_path, DATASET, _RAW_TABLES),
        message=message,
    )


@dataclass
class _Parsed:
    """What the segments of one dump load held.

    Attributes:
        counts: rows loaded per raw table (`answers` is filled once they are resolved).
        pending_answers: answers parsed, before their question's window is checked.
        last: the last batch parsed (its counters cover the whole file so far).
        error: the parse error that ended the file early, if any.
    """

    counts: dict[str, int] = field(
        default_factory=lambda: {"questions": 0, "question_tags": 0, "answers": 0}
    )
    pending_answers: int = 0
    last: PostBatch | None = None
    error: DumpParseError | None = None


def _load_segments(
    pipeline: dlt.Pipeline, batches: Iterator[PostBatch], segment_posts: int
) -> _Parsed:
    """Load the file segment by segment, each one dlt load, until it ends or fails to parse."""
    parsed = _Parsed()
    first = True
    # One loader thread: DuckDB and Arrow release the GIL, so segment k loads while k+1 is parsed.
    with ThreadPoolExecutor(max_workers=1) as loader:
        loading: Future[LoadInfo] | None = None
        while parsed.error is None:
            segment, parsed.error = _next_segment(batches, segment_posts)
            if loading is not None:
                loading.result()
                loading = None
            if not segment:
                break
            source = stackexchange_dump(segment, replace_pending=first)
            loading = loader.submit(run_load, pipeline, source, _step_failure)
            first = False
            parsed.last = segment[-1]
            parsed.counts["questions"] += sum(batch.questions.num_rows for batch in segment)
            parsed.counts["question_tags"] += sum(batch.question_tags.num_rows for batch in segment)
            parsed.pending_answers += sum(batch.answers.num_rows for batch in segment)
        if loading is not None:
            loading.result()
    return parsed


def _summary(parsed: _Parsed, elapsed: float, window: DumpWindow) -> str:
    """The one line a finished load reports: posts parsed, time, rate and window."""
    posts_seen = parsed.last.posts_seen if parsed.last else 0
    elapsed = max(elapsed, 1e-9)
    return (
        f"parsed {posts_seen:,} posts in {elapsed:,.1f} s ({posts_seen / elapsed:,.0f} posts/s), "
        f"window {window.from_date}..{window.to_date}"
    )


def _skipped(last: PostBatch | None, answers_dropped: int) -> dict[str, object]:
    """`items_skipped` and `skipped_reasons` of `load_runs`: posts parsed, not loaded, by reason."""
    seen = last.posts_seen if last else 0
    kept = last.posts_kept if last else 0
    other = last.other_post_types if last else 0
    reasons = {
        "outside_window": seen - kept - other,
        "other_post_type": other,
        "answer_to_question_outside_window": answers_dropped,
    }
    return {"items_skipped": sum(reasons.values()), "skipped_reasons": reasons}


def _next_segment(
    batches: Iterator[PostBatch], segment_posts: int
) -> tuple[list[PostBatch], DumpParseError | None]:
    """Collect batches up to `segment_posts` kept posts; on a parse error return those before it."""
    segment: list[PostBatch] = []
    kept = 0
    try:
        while kept < segment_posts:
            batch = next(batches, None)
            if batch is None:
                break
            segment.append(batch)
            kept += batch.kept_posts
    except DumpParseError as exc:
        return segment, exc
    return segment, None


def _resolve_answers(pipeline: dlt.Pipeline, db_path: Path, window: DumpWindow) -> int:
    """Merge this load's pending answers of in-window questions into `answers`; return how many."""
    run_load(pipeline, resolved_answers(db_path, window), _step_failure)
    loaded = int(pipeline.last_trace.last_normalize_info.row_counts.get("answers", 0))
    with duckdb.connect(str(db_path)) as connection:
        if _table_exists(connection, PENDING_ANSWERS_TABLE):
            connection.execute(f"delete from {DATASET}.{PENDING_ANSWERS_TABLE}")
    return loaded


def _step_failure(exc: PipelineStepFailed) -> str:
    """A failed dump load in one line; the segments committed before it stay loaded."""
    return (
        f"loading the dump into {DATASET} failed: {first_line(exc)}; earlier segments "
        f"stay loaded; fix the cause and re-run load-dump"
    )


def _pipeline(db_path: Path) -> dlt.Pipeline:
    """The dump's dlt pipeline, its state kept beside the warehouse file.

    Packages left by an interrupted load are dropped: dlt would load them instead of new data, and a
    re-run parses the whole file again, so merging its rows gives exactly what a clean run gives.
    """
    pipeline = warehouse_pipeline(db_path, PIPELINE_NAME, DATASET)
    if pipeline.has_pending_data:
        pipeline.abort_packages()
    return pipeline


def _window(from_date: date | None, to_date: date | None) -> DumpWindow:
    """The load's window: the arguments, else the dlt config's `[sources.stackexchange]` dates."""
    start = from_date or date.fromisoformat(
        str(source_config("from_date", default=DEFAULT_FROM_DATE))
    )
    end = to_date or date.fromisoformat(str(source_config("to_date", default=DEFAULT_TO_DATE)))
    return DumpWindow(start, end)


def _table_exists(connection: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether `raw_stackexchange.<table>` exists."""
    row = connection.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [DATASET, table],
    ).fetchone()
    return bool(row and row[0])
