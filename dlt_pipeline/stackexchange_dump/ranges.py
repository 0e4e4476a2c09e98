"""Parse byte ranges of a plain `Posts.xml` in worker processes, as one stream of batches.

Parsing is Python (expat's handler and the column conversion) and so runs on one core; a plain
`Posts.xml` holds one `<row/>` per line, so the file splits at line boundaries into ranges that
worker processes parse at once with `helpers.iter_post_batches`. The parent receives their Arrow
batches and merges their counters (posts seen, kept, skipped, the largest ids per type, the newest
date), so every batch it yields carries counters of the whole file read so far, as the one-process
parser's do. `.gz` and `.7z` are single streams and keep one parser.

Any failure in a worker (corrupt XML, a file that is not a Posts.xml, a row cut by a split because
the file is not one row per line) raises `RangesFailed`: the caller parses the file again in one
process, which reports the first error with its line and byte offset in the whole file exactly as
before (dlt_pipeline/stackexchange_dump/README.md).
"""

from __future__ import annotations

import heapq
import multiprocessing
import queue
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from .helpers import DumpStream, DumpWindow, PostBatch, iter_post_batches
from .settings import BATCH_ROWS, READ_CHUNK_BYTES, TOP_IDS_TRACKED

# Messages each worker may have in flight: bounds the parent's memory to a few batches.
_QUEUE_PER_WORKER = 2
_POLL_SECONDS = 1.0


class RangesFailed(Exception):
    """A worker could not parse its range; parse the file in one process instead."""


def split_ranges(path: Path, parts: int) -> list[tuple[int, int]]:
    """Cut the file into `parts` byte ranges that start and end at line boundaries.

    Each cut is moved forward to just after the next newline, so a line (a dump row) is never
    split; ranges that would be empty are left out.
    """
    size = path.stat().st_size
    cuts = [0]
    with path.open("rb") as file:
        for part in range(1, parts):
            file.seek(max(size * part // parts, cuts[-1]))
            file.readline()
            cuts.append(min(file.tell(), size))
    cuts.append(size)
    return [(start, end) for start, end in zip(cuts, cuts[1:], strict=False) if end > start]


class _RangeReader:
    """The bytes of one range as a well-formed document: wrapped in `<posts>` where cut off.

    The first range holds the XML declaration and `<posts>`, the last one `</posts>`; the others
    get the missing tags around their rows so expat parses each range on its own.
    """

    def __init__(self, file: IO[bytes], start: int, end: int, size: int) -> None:
        file.seek(start)
        self._file = file
        self._left = end - start
        self._head = b"<posts>" if start > 0 else b""
        self._tail = b"</posts>" if end < size else b""
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        head, self._head = self._head, b""
        if self._left == 0:
            tail, self._tail = self._tail, b""
            return head + tail
        data = self._file.read(self._left if size < 0 else min(size, self._left))
        self._left -= len(data)
        self.count += len(data)
        return head + data

    def readline(self, size: int = -1) -> bytes:
        if self._left == 0:
            return b""
        data = self._file.readline(self._left if size < 0 else min(size, self._left))
        self._left -= len(data)
        self.count += len(data)
        return data


@dataclass(frozen=True)
class _Job:
    """What one worker parses and how (picklable: it crosses into a new process)."""

    index: int
    path: Path
    start: int
    end: int
    size: int
    windows: tuple[DumpWindow, ...]
    site: str
    collected_at: int | None
    include_bodies: bool
    batch_rows: int
    chunk_bytes: int


def _parse_range(job: _Job, results: Any) -> None:
    """Worker: parse one range and send ("chunk" | "batch" | "failed" | "done", index, ...)."""
    try:
        with job.path.open("rb") as file:
            reader = _RangeReader(file, job.start, job.end, job.size)
            stream = DumpStream(reader, lambda: reader.count, job.end - job.start)  # type: ignore[arg-type]
            for batch in iter_post_batches(
                stream,
                job.windows,
                site=job.site,
                collected_at=job.collected_at,
                include_bodies=job.include_bodies,
                batch_rows=job.batch_rows,
                chunk_bytes=job.chunk_bytes,
                on_chunk=lambda *progress: results.put(("chunk", job.index, progress)),
            ):
                results.put(("batch", job.index, batch))
    except Exception as exc:  # noqa: BLE001 - any failure means: parse in one process instead
        results.put(("failed", job.index, f"{type(exc).__name__}: {exc}"))
        return
    results.put(("done", job.index, None))


def merge_counters(batch: PostBatch, others: Sequence[PostBatch]) -> PostBatch:
    """`batch` with the counters of all ranges: sums, the largest ids of all, the newest date.

    Args:
        batch: the newest batch of one range (its tables are kept).
        others: the newest batch of every range so far, `batch`'s range included.
    """
    top_ids = {
        post_type: sorted(
            heapq.nlargest(
                TOP_IDS_TRACKED, (n for other in others for n in other.top_ids[post_type])
            )
        )
        for post_type in batch.top_ids
    }
    return replace(
        batch,
        bytes_read=sum(other.bytes_read for other in others),
        posts_seen=sum(other.posts_seen for other in others),
        posts_kept=sum(other.posts_kept for other in others),
        other_post_types=sum(other.other_post_types for other in others),
        fabricated=sum(other.fabricated for other in others),
        top_ids=top_ids,
        newest_date=max(other.newest_date for other in others),
    )


def iter_range_batches(
    path: Path,
    windows: Sequence[DumpWindow],
    *,
    workers: int,
    site: str,
    collected_at: int | None = None,
    include_bodies: bool = True,
    batch_rows: int = BATCH_ROWS,
    on_chunk: Callable[[int, int, int], None] | None = None,
    chunk_bytes: int = READ_CHUNK_BYTES,
) -> Iterator[PostBatch]:
    """Parse a plain `Posts.xml` in `workers` processes; yield their batches as they come.

    The arguments are `helpers.iter_post_batches`'s. Batches come in no particular file order
    (the pending tables do not need one); each carries the counters of the whole file read so
    far, and the last one those of the whole file. Workers are spawned (not forked: the parent
    holds DuckDB and loader threads) and stopped when the iterator is closed early.

    Raises:
        RangesFailed: a worker failed or died; the batches yielded so far must be discarded.
    """
    context = multiprocessing.get_context("spawn")
    ranges = split_ranges(path, workers)
    results = context.Queue(maxsize=_QUEUE_PER_WORKER * len(ranges))
    size = path.stat().st_size
    jobs = [
        _Job(
            index,
            path,
            start,
            end,
            size,
            tuple(windows),
            site,
            collected_at,
            include_bodies,
            batch_rows,
            chunk_bytes,
        )
        for index, (start, end) in enumerate(ranges)
    ]
    processes = [
        context.Process(target=_parse_range, args=(job, results), daemon=True) for job in jobs
    ]
    for process in processes:
        process.start()
    progress = [(0, 0, 0)] * len(jobs)
    newest: dict[int, PostBatch] = {}
    running = set(range(len(jobs)))
    try:
        while running:
            kind, index, payload = _next_message(results, processes, running)
            if kind == "failed":
                raise RangesFailed(f"range {index + 1} of {len(jobs)}: {payload}")
            if kind == "done":
                running.discard(index)
            elif kind == "chunk":
                progress[index] = payload
                if on_chunk is not None:
                    on_chunk(*(sum(values) for values in zip(*progress, strict=True)))
            else:
                newest[index] = payload
                yield merge_counters(payload, list(newest.values()))
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()
        results.close()


def _next_message(
    results: Any, processes: Sequence[Any], running: set[int]
) -> tuple[str, int, Any]:
    """The next worker message; a worker that exited without saying done has died."""
    while True:
        try:
            return results.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            dead = [i for i in running if processes[i].exitcode is not None]
            if dead:
                raise RangesFailed(
                    f"range {dead[0] + 1} of {len(processes)}: its worker exited "
                    f"with code {processes[dead[0]].exitcode}"
                ) from None
