"""Run one `ptmwh load-dump`: stream a data dump into the raw tables, one commit per segment."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import time as day_time
from pathlib import Path

import dlt
import duckdb
from dlt.common.pipeline import LoadInfo
from dlt.pipeline.exceptions import PipelineStepFailed

from .raw_contract import DATASET
from .results import LoadError, LoadResult
from .runs import first_line, record_run, row_counts, run_load, warehouse_pipeline
from .sites import dump_site
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
    DATA_SOURCE,
    PENDING_ANSWERS_TABLE,
    PIPELINE_NAME,
    SEGMENT_POSTS,
)

_RAW_TABLES = ("questions", "question_tags", "answers")


def run_dump_load(
    db_path: Path,
    path: Path,
    *,
    windows: Sequence[tuple[date, date]],
    site: str | None = None,
    dump_date: date | None = None,
    progress: Callable[[str], None] = print,
    include_bodies: bool = False,
    clock: Callable[[], float] = time.monotonic,
    segment_posts: int = SEGMENT_POSTS,
    batch_rows: int = BATCH_ROWS,
) -> LoadResult:
    """Load the questions, tags and answers of a dump's `Posts.xml` into `raw_stackexchange`.

    Questions created in any of the windows (inclusive days, UTC) are kept with their tags, and the
    answers of those questions with `is_accepted` from the question's `AcceptedAnswerId`. Every
    row carries the dump's site, and every question `collected_at` = the dump's date (the newest
    post date in the file unless `dump_date` is given), the time its counts were observed. Every
    `segment_posts` kept posts are committed as one dlt load, so a corrupt file or a crash keeps
    what came before it; re-running is idempotent (merge on (`site`, `question_id`) and
    (`site`, `answer_id`)).

    Args:
        db_path: the warehouse DuckDB file.
        path: `Posts.xml`, `Posts.xml.gz`, or a `.7z` dump archive (via 7-Zip: `7zz` or `7z`).
        windows: (first day, last day) pairs, both inclusive; the union is kept.
        site: the dump's site (domain or short name); default: the domain the path is named
            after (`beer.stackexchange.com.7z`, `stackoverflow.com-Posts.7z`).
        dump_date: the day the dump was taken; default the newest post date in the file.
        progress: receives progress lines (bytes read, posts/s, ETA), at most one a second.
        include_bodies: also load question bodies (they make the load several times slower).
        clock: monotonic seconds, injectable for tests.
        segment_posts: kept posts per committed dlt load.
        batch_rows: kept posts per Arrow batch (bounds the parser's memory).

    Returns:
        What was loaded: items per table in this run, rows per raw table after it.

    Raises:
        LoadError: no window, a window ending before it starts, no site, or the file is missing
            or corrupt (posts before the error stay loaded).
    """
    spans = _windows(windows)
    site = dump_site(path, site)
    pipeline = _pipeline(db_path)
    started, started_at = clock(), datetime.now(UTC)
    with open_dump(path) as stream:
        batches = iter_post_batches(
            stream,
            spans,
            site=site,
            collected_at=None if dump_date is None else _epoch(dump_date),
            include_bodies=include_bodies,
            batch_rows=batch_rows,
            on_chunk=ProgressReporter(progress, stream.total_bytes, clock).update,
        )
        parsed = _load_segments(pipeline, batches, segment_posts)
    if parsed.last is not None:
        parsed.counts["answers"] = _resolve_answers(pipeline, db_path, site, spans)
        dump_date = dump_date or _newest_day(parsed.last)
        _date_questions(db_path, site, parsed.last)
    message = str(parsed.error) if parsed.error else _summary(parsed, clock() - started, spans)
    record_run(
        pipeline,
        _step_failure,
        command="load-dump",
        started_at=started_at,
        status="failed" if parsed.error else "completed",
        site=site,
        base_url=None,
        tags=None,
        from_date=min(window.from_date for window in spans),
        to_date=max(window.to_date for window in spans),
        dump_date=dump_date,
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


def _summary(parsed: _Parsed, elapsed: float, windows: Sequence[DumpWindow]) -> str:
    """The one line a finished load reports: posts parsed, time, rate and windows."""
    posts_seen = parsed.last.posts_seen if parsed.last else 0
    elapsed = max(elapsed, 1e-9)
    spans = ", ".join(f"{window.from_date}..{window.to_date}" for window in windows)
    return (
        f"parsed {posts_seen:,} posts in {elapsed:,.1f} s ({posts_seen / elapsed:,.0f} posts/s), "
        f"window {spans}"
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


def _resolve_answers(
    pipeline: dlt.Pipeline, db_path: Path, site: str, windows: Sequence[DumpWindow]
) -> int:
    """Merge this load's pending answers of in-window questions into `answers`; return how many."""
    run_load(pipeline, resolved_answers(db_path, site, windows), _step_failure)
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


def _windows(windows: Sequence[tuple[date, date]]) -> list[DumpWindow]:
    """The load's windows, checked before the file is opened (bad input fails fast)."""
    if not windows:
        raise LoadError("no window to load: define a topic on this site or pass --from and --to")
    spans = [DumpWindow(start, end) for start, end in windows]
    for window in spans:
        if window.from_date > window.to_date:
            raise LoadError(f"--from {window.from_date} is after --to {window.to_date}; swap them")
    return spans


def _epoch(day: date) -> int:
    """Epoch seconds of 00:00 UTC of `day`."""
    return int(datetime.combine(day, day_time.min, UTC).timestamp())


def _newest_epoch(last: PostBatch) -> int | None:
    """The newest post date of the file in epoch seconds (None for a file without posts)."""
    if not last.newest_date:
        return None
    return int(datetime.fromisoformat(last.newest_date).replace(tzinfo=UTC).timestamp())


def _newest_day(last: PostBatch) -> date | None:
    """The day of the newest post in the file: the dump's date for `load_runs.dump_date`."""
    newest = _newest_epoch(last)
    return None if newest is None else datetime.fromtimestamp(newest, UTC).date()


def _date_questions(db_path: Path, site: str, last: PostBatch) -> None:
    """Set `collected_at` of the site's dump questions still without one to the file's newest date.

    The newest date is known only once the file has been read, after its segments were committed;
    questions loaded with `--dump-date` already carry theirs.
    """
    newest = _newest_epoch(last)
    if newest is None:
        return
    with duckdb.connect(str(db_path)) as connection:
        connection.execute(
            f"update {DATASET}.questions set collected_at = ? "
            "where site = ? and data_source = ? and collected_at is null",
            [newest, site, DATA_SOURCE],
        )


def _table_exists(connection: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether `raw_stackexchange.<table>` exists."""
    row = connection.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [DATASET, table],
    ).fetchone()
    return bool(row and row[0])
