"""Run one `ptmwh load-dump`: stream a data dump into the raw tables, segment by segment."""

from __future__ import annotations

import itertools
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dlt
from dlt.pipeline.exceptions import PipelineStepFailed

from study.window import Window, day_start_epoch

from .dump_snapshot import (
    Deleted,
    clear_pending,
    date_pending_questions,
    drop_id_outliers,
    mark_deleted,
    merge_pending,
    newest_loaded_dump,
    pending_answers,
    refuse_older_dump,
    refuse_other_site,
    site_has_posts,
    site_overlap,
)
from .raw_contract import DATASET
from .results import LoadError, LoadResult
from .runs import first_line, record_run, row_counts, run_load, warehouse_pipeline
from .sites import dump_site
from .stackexchange_dump.batches import PostBatch
from .stackexchange_dump.files import dump_file, open_dump
from .stackexchange_dump.filters import id_outliers
from .stackexchange_dump.parse import DumpParseError, ParseOptions, iter_post_batches
from .stackexchange_dump.pending import load_pending, write_segment
from .stackexchange_dump.ranges import RangesFailed, iter_range_batches, iter_stream_batches
from .stackexchange_dump.settings import (
    ANSWER_POST_TYPE,
    BATCH_ROWS,
    MAX_PARSE_WORKERS,
    PARALLEL_MIN_BYTES,
    PIPELINE_NAME,
    QUESTION_POST_TYPE,
    SEGMENT_POSTS,
    SEVEN_ZIP_PARALLEL_MIN_BYTES,
)
from .stackexchange_dump.source import raw_tables

_RAW_TABLES = ("questions", "question_tags", "answers")


def run_dump_load(
    db_path: Path,
    path: Path,
    *,
    windows: Sequence[Window],
    site: str | None = None,
    dump_date: date | None = None,
    force: bool = False,
    progress: Callable[[str], None] = print,
    meter: Callable[[int | None], Callable[[int, int, int], None]] | None = None,
    include_bodies: bool = True,
    clock: Callable[[], float] = time.monotonic,
    segment_posts: int = SEGMENT_POSTS,
    batch_rows: int = BATCH_ROWS,
    parse_workers: int | None = None,
) -> LoadResult:
    """Load a dump's `Posts.xml` as the snapshot of its site into `raw_stackexchange`.

    Questions created in any of the windows (inclusive days, UTC) are kept with their tags, and the
    answers of those questions with `is_accepted` from the question's `AcceptedAnswerId`. Every
    row carries the dump's site, and every question `collected_at` = the dump's date (the newest
    post date in the file unless `dump_date` is given). The file is written segment by segment
    to files beside the warehouse (bounded memory), then moved into pending tables; once it has
    been read whole, a dump older than the site's newest loaded one is refused, the fabricated
    posts and id outliers are dropped, the posts are merged on (`site`, `question_id`) and
    (`site`, `answer_id`), and the site's posts in the windows that the dump no longer holds are
    marked deleted. Re-running is idempotent.

    Args:
        db_path: the warehouse DuckDB file.
        path: `Posts.xml`, `Posts.xml.gz`, a `.7z` dump archive (via 7-Zip: `7zz` or `7z`), or
            a folder holding `Posts.xml` (or `Posts.xml.gz`).
        windows: the days whose questions are kept (their union).
        site: the dump's site (domain or short name); default: the domain the path is named
            after (`beer.stackexchange.com.7z`, `stackoverflow.com-Posts.7z`).
        dump_date: the day the dump was taken; default the newest post date in the file. A
            day before the file's newest post is refused.
        force: load a dump older than the newest one loaded of its site, or one that holds
            fewer than half of the site's live questions in the windows.
        progress: receives the final line.
        meter: given the file's size in bytes (None when unknown), returns the callback for
            (bytes read, posts seen, posts kept) after each chunk; the CLI shows a bar or lines
            with it (`ptmwh/progress.py`); without it nothing is shown per chunk.
        include_bodies: load each question's HTML body into `questions.body` (answers' bodies
            are never parsed); False cuts every body before the parser (faster, less disk).
        clock: monotonic seconds (the run's duration), injectable for tests.
        segment_posts: kept posts per segment file (`stackexchange_dump/pending.py`).
        batch_rows: kept posts per Arrow batch (bounds the parser's memory).
        parse_workers: processes parsing a plain `Posts.xml` or a `.7z`'s (1: in this process);
            default one per CPU (at most `MAX_PARSE_WORKERS`) for a plain file of
            `PARALLEL_MIN_BYTES` or an archive of `SEVEN_ZIP_PARALLEL_MIN_BYTES` or more. `.gz`
            always parses in this process.

    Returns:
        What was loaded: items per table in this run, rows per raw table after it.

    Raises:
        LoadError: no window, no site, an older dump, a dump holding fewer than half the site's
            loaded questions (another site's), a `dump_date` before the file's newest post, a file
            that is not a Posts.xml (these change nothing), or a missing or corrupt file (the
            posts before the error are merged, nothing is marked deleted).
    """
    load = _checked_load(db_path, path, windows, site=site, dump_date=dump_date, force=force)
    pipeline = _pipeline(db_path)
    started, started_at = clock(), datetime.now(UTC)
    parsed, file_date = _read_dump(
        pipeline,
        load,
        started_at,
        include_bodies=include_bodies,
        batch_rows=batch_rows,
        parse_workers=parse_workers,
        segment_posts=segment_posts,
        meter=meter or _no_meter,
    )
    # The merge and deletions are short and each one transaction: Ctrl-C waits for them (and for
    # `load_runs`), then stops the command, so a run is never left half merged or unrecorded.
    with _deferred_interrupt() as interrupt:
        result = _finish(
            pipeline,
            load,
            parsed,
            file_date,
            started=started,
            started_at=started_at,
            clock=clock,
        )
    if interrupt.requested:
        raise KeyboardInterrupt
    progress(result.message)
    return result


@dataclass(frozen=True)
class _Load:
    """One dump load's inputs, checked before anything is written.

    Attributes:
        db_path: the warehouse file.
        path: the dump file itself (`files.dump_file`).
        site: the dump's site (its domain).
        spans: the distinct windows whose questions are kept.
        dump_date: the day the dump was taken, when given (`--dump-date`).
        force: load an older dump, or one that looks like another site's.
        newest_loaded: the newest `dump_date` loaded of the site before this load.
    """

    db_path: Path
    path: Path
    site: str
    spans: list[Window]
    dump_date: date | None
    force: bool
    newest_loaded: date | None


def _checked_load(
    db_path: Path,
    path: Path,
    windows: Sequence[Window],
    *,
    site: str | None,
    dump_date: date | None,
    force: bool,
) -> _Load:
    """The load's inputs, checked before anything is written (bad input fails fast).

    Refuses what is wrong without reading the file: no window, no site, a missing file, a
    `dump_date` older than the site's newest loaded dump.
    """
    spans = _windows(windows)
    site = dump_site(path, site)
    path = dump_file(path)
    newest_loaded = newest_loaded_dump(db_path, site)
    if dump_date is not None:
        refuse_older_dump(site, dump_date, newest_loaded, force)
    return _Load(db_path, path, site, spans, dump_date, force, newest_loaded)


def _read_dump(
    pipeline: dlt.Pipeline,
    load: _Load,
    started_at: datetime,
    *,
    include_bodies: bool,
    batch_rows: int,
    parse_workers: int | None,
    segment_posts: int,
    meter: Callable[[int | None], Callable[[int, int, int], None]],
) -> tuple[_Parsed, date | None]:
    """Parse the dump into the pending tables and judge its date; return it with the file's date.

    A refusal or Ctrl-C while reading leaves the raw tables as they were and nothing pending;
    Ctrl-C is recorded in `load_runs` as an interrupted run.
    """
    clear_pending(load.db_path)
    try:
        parsed = _parse_file(
            load.db_path,
            load.path,
            ParseOptions(
                windows=tuple(load.spans),
                site=load.site,
                collected_at=None if load.dump_date is None else day_start_epoch(load.dump_date),
                include_bodies=include_bodies,
                batch_rows=batch_rows,
            ),
            workers=_parse_workers(load.path, parse_workers),
            segment_posts=segment_posts,
            meter=meter,
        )
        return parsed, _judged_file_date(load, parsed)
    except LoadError:
        clear_pending(load.db_path)  # nothing reached the raw tables
        raise
    except KeyboardInterrupt:
        # Ctrl-C while reading: nothing reached the raw tables; the run is recorded as such.
        clear_pending(load.db_path)
        _record(
            pipeline,
            load,
            started_at=started_at,
            status="interrupted",
            dump_date=load.dump_date,
            message="interrupted while reading the dump; nothing was merged; rerun load-dump",
        )
        raise


def _judged_file_date(load: _Load, parsed: _Parsed) -> date | None:
    """The day of the file's newest post, once the dump's date has been judged against it.

    Refuses a `dump_date` before the file's newest post, a dump older than the site's newest
    loaded one, and a dump that does not look like one of its site (`refuse_other_site`).
    """
    dump_date = load.dump_date
    file_date = _newest_day(parsed.last)
    if dump_date is not None and file_date is not None and dump_date < file_date:
        raise LoadError(
            f"--dump-date {dump_date} is before the dump's newest post ({file_date}): a dump "
            "holds nothing newer than the day it was taken, so questions would appear after "
            "their collection; nothing was changed; pass the day the dump was taken (on or "
            f"after {file_date}) or leave --dump-date out"
        )
    # A truncated file's newest date is only a lower bound of its date: not judged.
    if dump_date is None and file_date is not None and parsed.error is None:
        refuse_older_dump(load.site, file_date, load.newest_loaded, load.force)
    day = dump_date or file_date
    if parsed.error is None and day is not None:
        created_before = day_start_epoch(day + timedelta(days=1))
        overlap = site_overlap(load.db_path, load.site, load.spans, created_before)
        refuse_other_site(load.site, overlap, load.force)
    return file_date


def _finish(
    pipeline: dlt.Pipeline,
    load: _Load,
    parsed: _Parsed,
    file_date: date | None,
    *,
    started: float,
    started_at: datetime,
    clock: Callable[[], float],
) -> LoadResult:
    """Merge the parsed file into the raw tables, mark what it no longer holds, record the run."""
    day = load.dump_date or file_date
    merged = _merge_and_mark(pipeline, load, parsed, day)
    message = (
        str(parsed.error)
        if parsed.error
        else _summary(parsed.last, clock() - started, load.spans, merged.deleted, day)
    )
    _record(
        pipeline,
        load,
        started_at=started_at,
        status="failed" if parsed.error else "completed",
        dump_date=day,
        message=message,
        items_loaded=merged.counts,
        **_skipped(parsed.last, merged.outliers, merged.answers_pending - merged.counts["answers"]),
    )
    if parsed.error is not None:
        raise parsed.error
    return LoadResult(
        items_loaded=merged.counts,
        row_counts=row_counts(load.db_path, DATASET, _RAW_TABLES),
        message=message,
    )


@dataclass(frozen=True)
class _Merged:
    """What the merge of one dump did.

    Attributes:
        counts: rows merged per raw table.
        deleted: the site's posts marked deleted because the dump no longer holds them.
        outliers: pending posts dropped as id outliers.
        answers_pending: answers pending before they were resolved against their questions.
    """

    counts: dict[str, int]
    deleted: Deleted
    outliers: int
    answers_pending: int


def _merge_and_mark(
    pipeline: dlt.Pipeline, load: _Load, parsed: _Parsed, day: date | None
) -> _Merged:
    """Drop the id outliers, date and merge the pending posts, mark what the dump no longer holds.

    Nothing is marked deleted after a site's first load (nothing to mark), after a parse error
    (the file is incomplete) or for a file without posts (no date).
    """
    db_path, site, last = load.db_path, load.site, parsed.last
    observed = day_start_epoch(load.dump_date) if load.dump_date else _newest_epoch(last)
    outliers = {
        "questions": id_outliers(last.top_ids[QUESTION_POST_TYPE]),
        "answers": id_outliers(last.top_ids[ANSWER_POST_TYPE]),
    }
    dropped = drop_id_outliers(db_path, site, outliers)
    if observed is not None:
        date_pending_questions(db_path, site, observed)
    answers_pending = pending_answers(db_path, site)
    had_posts = site_has_posts(db_path, site)
    counts = _merge(pipeline, db_path, site, load.spans)
    deleted = Deleted(0, 0)
    if had_posts and parsed.error is None and day is not None and observed is not None:
        deleted = mark_deleted(
            db_path, site, load.spans, observed, day_start_epoch(day + timedelta(days=1))
        )
    clear_pending(db_path)
    return _Merged(counts, deleted, dropped, answers_pending)


def _record(
    pipeline: dlt.Pipeline,
    load: _Load,
    *,
    started_at: datetime,
    status: str,
    dump_date: date | None,
    message: str,
    items_loaded: dict[str, int] | None = None,
    items_skipped: int = 0,
    skipped_reasons: dict[str, int] | None = None,
) -> None:
    """Append this run's `load_runs` row."""
    record_run(
        pipeline,
        _step_failure,
        command="load-dump",
        started_at=started_at,
        status=status,
        site=load.site,
        base_url=None,
        tags=None,
        from_date=min(window.first_day for window in load.spans),
        to_date=max(window.last_day for window in load.spans),
        dump_date=dump_date,
        requests_made=0,
        items_loaded=items_loaded or dict.fromkeys(_RAW_TABLES, 0),
        items_skipped=items_skipped,
        skipped_reasons=skipped_reasons or {},
        quota_remaining=None,
        quota_max=None,
        message=message,
    )


@dataclass
class _Interrupt:
    """Whether Ctrl-C (SIGINT) arrived while it was deferred."""

    requested: bool = False

    def handle(self, _signal: int, _frame: object) -> None:
        self.requested = True


@contextmanager
def _deferred_interrupt() -> Iterator[_Interrupt]:
    """Hold back Ctrl-C during the block; the caller stops once it has ended (main thread only)."""
    interrupt = _Interrupt()
    if threading.current_thread() is not threading.main_thread():
        yield interrupt
        return
    previous = signal.signal(signal.SIGINT, interrupt.handle)
    try:
        yield interrupt
    finally:
        signal.signal(signal.SIGINT, previous)


@dataclass
class _Parsed:
    """What the segments of one dump load held.

    Attributes:
        last: the last batch parsed (its counters cover the whole file so far); the parser
            yields at least one batch, possibly empty.
        error: the parse error that ended the file early, if any.
    """

    last: PostBatch
    error: DumpParseError | None = None


def _no_meter(_total_bytes: int | None) -> Callable[[int, int, int], None]:
    """No progress per chunk: the caller passed no `meter` (ptmwh passes its bar or lines)."""
    return lambda _read, _seen, _kept: None


def _parse_workers(path: Path, requested: int | None) -> int:
    """How many processes parse `path`: several only for a file that is worth the start-up.

    Spawning a worker costs about a second of imports (benchmarks/README.md), so small files stay
    in this process; so does `.gz`, whose decoding in this process would bound the parse anyway.
    A `.7z` is decoded by 7-Zip in its own process and its stream split among the workers.
    """
    suffix = path.suffix.lower()
    if suffix == ".gz" or not path.is_file():
        return 1
    if requested is not None:
        return max(requested, 1)
    threshold = SEVEN_ZIP_PARALLEL_MIN_BYTES if suffix == ".7z" else PARALLEL_MIN_BYTES
    if path.stat().st_size < threshold:
        return 1
    return max(min(len(os.sched_getaffinity(0)), MAX_PARSE_WORKERS), 1)


def _parse_file(
    db_path: Path,
    path: Path,
    options: ParseOptions,
    *,
    workers: int,
    segment_posts: int,
    meter: Callable[[int | None], Callable[[int, int, int], None]],
) -> _Parsed:
    """Parse the dump into the pending tables, in `workers` processes when it allows that.

    When a worker fails (corrupt XML, not a Posts.xml, a row cut by a split), what the workers
    gave is dropped (its segment files deleted) and the file is parsed again in this process,
    whose error names the line and byte offset in the whole file, and which loads the posts
    before it, as always.
    """
    on_chunk = None
    if workers > 1:
        try:
            if path.suffix.lower() == ".7z":
                with open_dump(path) as stream:
                    on_chunk = meter(stream.total_bytes)
                    batches = iter_stream_batches(
                        stream, options, workers=workers, on_chunk=on_chunk
                    )
                    with closing(batches):
                        return _load_segments(db_path, batches, segment_posts)
            on_chunk = meter(path.stat().st_size)
            ranges = iter_range_batches(path, options, workers=workers, on_chunk=on_chunk)
            with closing(ranges):
                return _load_segments(db_path, ranges, segment_posts)
        except RangesFailed:
            clear_pending(db_path)
    with open_dump(path) as stream:
        on_chunk = on_chunk or meter(stream.total_bytes)
        batches = iter_post_batches(stream, options, on_chunk=on_chunk)
        return _load_segments(db_path, batches, segment_posts)


def _load_segments(db_path: Path, batches: Iterator[PostBatch], segment_posts: int) -> _Parsed:
    """Write the file's segments until it ends or fails to parse, then fill the pending tables."""
    last: PostBatch | None = None
    error: DumpParseError | None = None
    # One writer thread: Arrow releases the GIL, so segment k is written while k+1 is parsed.
    with ThreadPoolExecutor(max_workers=1) as writer:
        writing: Future[None] | None = None
        for number in itertools.count():
            segment, error = _next_segment(batches, segment_posts)
            if writing is not None:
                writing.result()
                writing = None
            if not segment:
                break
            writing = writer.submit(write_segment, db_path, number, segment)
            last = segment[-1]
            if error is not None:
                break
        if writing is not None:
            writing.result()
    assert last is not None, "iter_post_batches yields at least one batch"
    load_pending(db_path)
    return _Parsed(last, error)


def _merge(
    pipeline: dlt.Pipeline, db_path: Path, site: str, windows: Sequence[Window]
) -> dict[str, int]:
    """Merge the pending posts into the raw tables; return the rows merged per table.

    dlt loads the tables without rows (it owns their schema and `_dlt_loads`), then DuckDB moves
    the pending rows in under that load's id (`dump_snapshot.merge_pending`).
    """
    info = run_load(pipeline, raw_tables(), _step_failure)
    return merge_pending(db_path, site, windows, info.loads_ids[-1])


def _summary(
    last: PostBatch,
    elapsed: float,
    windows: Sequence[Window],
    deleted: Deleted,
    day: date | None,
) -> str:
    """The one line a finished load reports: posts parsed, time, rate, windows, deletions."""
    elapsed = max(elapsed, 1e-9)
    spans = ", ".join(str(window) for window in windows)
    line = (
        f"parsed {last.posts_seen:,} posts in {elapsed:,.1f} s "
        f"({last.posts_seen / elapsed:,.0f} posts/s), window {spans}"
    )
    if deleted.questions or deleted.answers:
        line += (
            f"; {deleted.questions:,} questions and {deleted.answers:,} answers no longer in "
            f"the dump marked deleted as of {day}"
        )
    return line


def _skipped(last: PostBatch, outliers: int, answers_dropped: int) -> dict[str, object]:
    """`items_skipped` and `skipped_reasons` of `load_runs`: posts parsed, not loaded, by reason."""
    reasons = {
        "outside_window": last.posts_seen
        - last.posts_kept
        - last.other_post_types
        - last.fabricated,
        "other_post_type": last.other_post_types,
        "fabricated_post": last.fabricated,
        "id_outlier": outliers,
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


def _step_failure(exc: PipelineStepFailed) -> str:
    """A failed dump load in one line; the raw tables keep what they held before it."""
    return (
        f"loading the dump into {DATASET} failed: {first_line(exc)}; the posts already "
        f"loaded stay as they were; fix the cause and re-run load-dump"
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


def _windows(windows: Sequence[Window]) -> list[Window]:
    """The load's windows, checked before the file is opened (bad input fails fast)."""
    if not windows:
        raise LoadError("no window to load: define a topic on this site or pass --from and --to")
    # Topics of one site often share a window: each distinct window once, in the given order.
    return list(dict.fromkeys(windows))


def _newest_epoch(last: PostBatch) -> int | None:
    """The newest post date of the file in epoch seconds (None for a file without posts)."""
    if not last.newest_date:
        return None
    return int(datetime.fromisoformat(last.newest_date).replace(tzinfo=UTC).timestamp())


def _newest_day(last: PostBatch) -> date | None:
    """The day of the newest post in the file: the dump's date for `load_runs.dump_date`."""
    newest = _newest_epoch(last)
    return None if newest is None else datetime.fromtimestamp(newest, UTC).date()
