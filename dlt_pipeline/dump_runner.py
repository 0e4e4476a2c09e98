"""Run one `ptmwh load-dump`: stream a data dump into the raw tables, one commit per segment."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path

import dlt
import duckdb
from dlt.common.pipeline import LoadInfo

from .results import LoadError, LoadResult
from .stackexchange import load_run_row, load_runs
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
    DATASET_NAME,
    DEFAULT_FROM_DATE,
    DEFAULT_SITE,
    DEFAULT_TO_DATE,
    PENDING_ANSWERS_TABLE,
    PIPELINE_NAME,
    SEGMENT_POSTS,
)
from .warehouse import warehouse_pipeline

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
    counts = {"questions": 0, "question_tags": 0, "answers": 0}
    last: PostBatch | None = None
    pending_answers = 0
    site = site or _config("site", DEFAULT_SITE)
    error: DumpParseError | None = None
    first = True
    # One loader thread: DuckDB and Arrow release the GIL, so segment k loads while k+1 is parsed.
    with open_dump(path) as stream, ThreadPoolExecutor(max_workers=1) as loader:
        reporter = ProgressReporter(progress, stream.total_bytes, clock)
        batches = iter_post_batches(
            stream,
            window,
            site=site,
            include_bodies=include_bodies,
            batch_rows=batch_rows,
            on_chunk=reporter.update,
        )
        loading: Future[LoadInfo] | None = None
        while error is None:
            segment, error = _next_segment(batches, segment_posts)
            if loading is not None:
                loading.result()
                loading = None
            if not segment:
                break
            source = stackexchange_dump(segment, replace_pending=first)
            loading = loader.submit(_load, pipeline, source)
            first = False
            last = segment[-1]
            counts["questions"] += sum(batch.questions.num_rows for batch in segment)
            counts["question_tags"] += sum(batch.question_tags.num_rows for batch in segment)
            pending_answers += sum(batch.answers.num_rows for batch in segment)
        if loading is not None:
            loading.result()
    if last is not None:
        counts["answers"] = _resolve_answers(pipeline, db_path, window)
    posts_seen = last.posts_seen if last else 0
    elapsed = max(clock() - started, 1e-9)
    rate = posts_seen / elapsed
    message = (
        str(error)
        if error
        else (
            f"parsed {posts_seen:,} posts in {elapsed:,.1f} s ({rate:,.0f} posts/s), "
            f"window {window.from_date}..{window.to_date}"
        )
    )
    run = load_run_row(
        run_id=uuid.uuid4().hex,
        command="load-dump",
        started_at=started_at,
        finished_at=datetime.now(UTC),
        status="failed" if error else "completed",
        site=site,
        base_url=None,
        tags=None,
        from_date=window.from_date,
        to_date=window.to_date,
        requests_made=0,
        items_loaded=counts,
        **_skipped(last, pending_answers - counts["answers"]),
        quota_remaining=None,
        quota_max=None,
        message=message,
    )
    _load(pipeline, load_runs(run))
    if error is not None:
        raise error
    progress(message)
    return LoadResult(items_loaded=counts, row_counts=_row_counts(db_path), message=message)


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
    _load(pipeline, resolved_answers(db_path, window))
    loaded = int(pipeline.last_trace.last_normalize_info.row_counts.get("answers", 0))
    with duckdb.connect(str(db_path)) as connection:
        if _table_exists(connection, PENDING_ANSWERS_TABLE):
            connection.execute(f"delete from {DATASET_NAME}.{PENDING_ANSWERS_TABLE}")
    return loaded


def _load(pipeline: dlt.Pipeline, data: object) -> LoadInfo:
    """Run one dlt load and fail in one line if a job failed (the data of earlier loads stays)."""
    try:
        info = pipeline.run(data)
    except Exception as exc:  # dlt wraps every step's failure in PipelineStepFailed
        cause = exc.__cause__ or exc
        first_line = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
        raise LoadError(
            f"loading the dump into {pipeline.dataset_name} failed: {first_line}; earlier segments "
            f"stay loaded; fix the cause and re-run load-dump"
        ) from exc
    info.raise_on_failed_jobs()
    return info


def _pipeline(db_path: Path) -> dlt.Pipeline:
    """The dump's dlt pipeline, its state kept beside the warehouse file.

    Packages left by an interrupted load are dropped: dlt would load them instead of new data, and a
    re-run parses the whole file again, so merging its rows gives exactly what a clean run gives.
    """
    pipeline = warehouse_pipeline(db_path, PIPELINE_NAME, DATASET_NAME)
    if pipeline.has_pending_data:
        pipeline.abort_packages()
    return pipeline


def _window(from_date: date | None, to_date: date | None) -> DumpWindow:
    """The load's window: the arguments, else the dlt config's `[sources.stackexchange]` dates."""
    start = from_date or date.fromisoformat(_config("from_date", DEFAULT_FROM_DATE))
    end = to_date or date.fromisoformat(_config("to_date", DEFAULT_TO_DATE))
    return DumpWindow(start, end)


def _config(key: str, default: str) -> str:
    """A `[sources.stackexchange]` value from dlt's config (toml or env), or the default."""
    value = dlt.config.get(f"sources.stackexchange.{key}")
    return default if value is None else str(value)


def _table_exists(connection: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether `raw_stackexchange.<table>` exists."""
    row = connection.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [DATASET_NAME, table],
    ).fetchone()
    return bool(row and row[0])


def _row_counts(db_path: Path) -> dict[str, int]:
    """Rows per raw table after the load."""
    with duckdb.connect(str(db_path)) as connection:
        counts: dict[str, int] = {}
        for table in _RAW_TABLES:
            if _table_exists(connection, table):
                row = connection.execute(f"select count(*) from {DATASET_NAME}.{table}").fetchone()
                counts[table] = int(row[0]) if row else 0
        return counts
