"""Parse a `Posts.xml` in worker processes, as one stream of batches.

Parsing is Python (expat's handler and the column conversion) and so runs on one core; a
`Posts.xml` holds one `<row/>` per line, so it splits at line boundaries into pieces that worker
processes parse at once with `parse.iter_post_batches`:

- a plain file into one byte range per worker, each read by its worker from the file
  (`iter_range_batches`);
- a single stream (the `Posts.xml` that 7-Zip decodes out of a `.7z`) into line-complete chunks
  in the order it is read: a thread of this process reads the stream straight into slots of one
  shared-memory buffer and tells whichever worker is free which slot holds the next chunk
  (`iter_stream_batches`), so the decoder and the parsers run at once and the bytes cross into a
  worker without being pickled or piped a second time.

The parent receives their Arrow batches and merges their counters (posts seen, kept, skipped, the
largest ids per type, the newest date), so every batch it yields carries counters of the whole
file read so far, as the one-process parser's do.

Any failure in a worker (corrupt XML, a file that is not a Posts.xml, a row cut by a split because
the file is not one row per line) raises `RangesFailed`: the caller parses the file again in one
process, which reports the first error with its line and byte offset in the whole file exactly as
before (dlt_pipeline/stackexchange_dump/README.md).
"""

from __future__ import annotations

import heapq
import multiprocessing
import queue
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from multiprocessing import shared_memory
from pathlib import Path
from typing import IO, Any

from .batches import PostBatch
from .files import DumpStream
from .parse import ParseOptions, iter_post_batches
from .settings import TOP_IDS_TRACKED

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
    """One worker's piece: a byte range of `path`, or (`path` None) chunks of a stream."""

    index: int
    parse: ParseOptions
    path: Path | None = None
    start: int = 0
    end: int = 0
    size: int = 0


def _parse_piece(job: _Job, results: Any, inputs: _StreamInputs | None = None) -> None:
    """Worker: parse one piece and send ("chunk" | "batch" | "failed" | "done", index, ...)."""
    try:
        if inputs is not None:
            with _ChunkReader(inputs) as reader:
                _parse_stream(job, reader, results)
        else:
            assert job.path is not None
            with job.path.open("rb") as file:
                _parse_stream(job, _RangeReader(file, job.start, job.end, job.size), results)
    except Exception as exc:  # noqa: BLE001 - any failure means: parse in one process instead
        results.put(("failed", job.index, f"{type(exc).__name__}: {exc}"))
        return
    results.put(("done", job.index, None))


def _parse_stream(job: _Job, reader: _RangeReader | _ChunkReader, results: Any) -> None:
    """Parse what `reader` gives, sending progress and batches to the parent."""
    stream = DumpStream(reader, lambda: reader.count, None)  # type: ignore[arg-type]
    for batch in iter_post_batches(
        stream,
        job.parse,
        on_chunk=lambda *progress: results.put(("chunk", job.index, progress)),
    ):
        results.put(("batch", job.index, batch))


@dataclass(frozen=True)
class _StreamInputs:
    """Where the workers find a stream's chunks (picklable: it crosses into each worker).

    `chunks` carries (sequence number, slot, length) per line-complete chunk, then one
    ("end", last sequence number, 0) per worker; the chunk's bytes are in slot `slot` of the
    shared-memory buffer `buffer_name` (slots of `slot_bytes` each). A worker copies them out and
    puts the slot's number on `free`, so the reader can fill it again.
    """

    chunks: Any
    free: Any
    buffer_name: str
    slot_bytes: int


class _ChunkReader:
    """The chunks one worker takes from the shared input queue, as a well-formed document.

    Chunk 0 holds the XML declaration and `<posts>`, the last one `</posts>`; a worker that did
    not get them reads them added around its chunks, so expat parses each worker's chunks on its
    own.
    """

    def __init__(self, inputs: _StreamInputs) -> None:
        self._inputs = inputs
        self._buffer = shared_memory.SharedMemory(name=inputs.buffer_name)
        self._started = False
        self._newest = -1
        self._ended = False
        self.count = 0

    def __enter__(self) -> _ChunkReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._buffer.close()

    def read(self, size: int = -1) -> bytes:
        if self._ended:
            return b""
        number, slot, length = self._inputs.chunks.get()
        head = b"" if self._started else b"<posts>"
        if number == "end":
            self._ended = True
            return (head if self._newest < 0 else b"") + (
                b"" if self._newest == slot else b"</posts>"
            )
        start = slot * self._inputs.slot_bytes
        data = bytes(self._buffer.buf[start : start + length])
        self._inputs.free.put(slot)
        if number == 0:
            head = b""
        self._started = True
        self._newest = number
        self.count += len(data)
        return head + data

    def readline(self, size: int = -1) -> bytes:
        return b""  # every chunk is already complete to the end of its line


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
    options: ParseOptions,
    *,
    workers: int,
    on_chunk: Callable[[int, int, int], None] | None = None,
) -> Iterator[PostBatch]:
    """Parse a plain `Posts.xml` in `workers` processes; yield their batches as they come.

    `options` are `parse.iter_post_batches`'s. Batches come in no particular file order
    (the pending tables do not need one); each carries the counters of the whole file read so
    far, and the last one those of the whole file. Workers are spawned (not forked: the parent
    holds DuckDB and loader threads) and stopped when the iterator is closed early.

    Raises:
        RangesFailed: a worker failed or died; the batches yielded so far must be discarded.
    """
    size = path.stat().st_size
    jobs = [
        _Job(index, options, path, start, end, size)
        for index, (start, end) in enumerate(split_ranges(path, workers))
    ]
    yield from _run_workers(jobs, None, on_chunk)


def iter_stream_batches(
    stream: DumpStream,
    options: ParseOptions,
    *,
    workers: int,
    on_chunk: Callable[[int, int, int], None] | None = None,
) -> Iterator[PostBatch]:
    """Parse one stream (7-Zip's decoded `Posts.xml`) in `workers` processes, chunk by chunk.

    A thread of this process reads `stream` into the free slots of one shared-memory buffer, each
    chunk of `options.chunk_bytes` cut at its last line end, and puts the slot's number on one
    queue that every worker takes from: a free worker gets the next chunk, copies it out and frees
    the slot, so the decoder never waits for a busy worker, and the bytes are neither pickled nor
    piped again. At most two chunks per worker wait in the buffer.
    Batches and counters are as `iter_range_batches`'s; progress counts the bytes read from
    `stream` (`stream.bytes_read`).

    Raises:
        RangesFailed: a worker failed or died, or the stream could not be read; the batches
            yielded so far must be discarded.
    """
    jobs = [_Job(index, options) for index in range(workers)]
    context = multiprocessing.get_context("spawn")
    slots = _QUEUE_PER_WORKER * workers + 1  # every queued chunk, plus the one being filled
    # A slot holds a chunk plus the start of a row carried over from the chunk before.
    slot_bytes = 2 * options.chunk_bytes
    buffer = shared_memory.SharedMemory(create=True, size=slots * slot_bytes)
    inputs = _StreamInputs(context.Queue(), context.Queue(), buffer.name, slot_bytes)
    for slot in range(slots):
        inputs.free.put(slot)
    feeder = _Feeder(stream, inputs, buffer, workers, options.chunk_bytes)
    progress = None
    if on_chunk is not None:
        report = on_chunk

        def progress(_read: int, seen: int, kept: int) -> None:
            report(stream.bytes_read(), seen, kept)

    try:
        yield from _run_workers(jobs, inputs, progress, feeder)
    finally:
        feeder.stop()
        for channel in (inputs.chunks, inputs.free):
            channel.cancel_join_thread()  # messages no process will take are dropped
            channel.close()
        buffer.close()
        buffer.unlink()


class _Feeder:
    """A thread that reads the stream into free slots, each ending at the end of a line.

    The bytes after a slot's last newline (the start of a row) are copied to the start of the
    next slot before it is filled. A row longer than a chunk fails the parse (`RangesFailed`):
    the one-process parser then reads the file as it is.
    """

    def __init__(
        self,
        stream: DumpStream,
        inputs: _StreamInputs,
        buffer: shared_memory.SharedMemory,
        workers: int,
        chunk_bytes: int,
    ) -> None:
        self._stream = stream
        self._inputs = inputs
        self._view = buffer.buf
        self._workers = workers
        self._chunk_bytes = chunk_bytes
        self._stopping = threading.Event()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._feed, name="dump-feeder", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()

    def _free_slot(self) -> int | None:
        while not self._stopping.is_set():
            try:
                return self._inputs.free.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                continue
        return None

    def _feed(self) -> None:
        try:
            self._fill_slots()
        except BaseException as exc:  # noqa: BLE001 - reported to the parent as a failed parse
            self.error = exc

    def _fill_slots(self) -> None:
        reader = self._stream.reader
        carry = b""
        number = -1
        while (slot := self._free_slot()) is not None:
            start = slot * self._inputs.slot_bytes
            end = start + len(carry)
            self._view[start:end] = carry
            read = reader.readinto(self._view[end : end + self._chunk_bytes])  # type: ignore[attr-defined]
            end += read
            if end == start:
                break  # the stream has ended on a line's end
            if read < self._chunk_bytes:
                cut = end  # the stream has ended: its last line is complete
            else:
                cut = _last_line_end(self._view, start, end)
                if cut == start:
                    raise ValueError(f"a row is longer than {self._chunk_bytes} bytes")
            carry = bytes(self._view[cut:end])
            number += 1
            self._inputs.chunks.put((number, slot, cut - start))
        if self._stopping.is_set():
            return
        for _ in range(self._workers):
            self._inputs.chunks.put(("end", number, 0))


def _last_line_end(view: memoryview, start: int, end: int) -> int:
    """The offset just after the last newline in `view[start:end]`, or `start` without one."""
    step = 64 * 1024
    stop = end
    while stop > start:
        window = max(start, stop - step)
        found = bytes(view[window:stop]).rfind(b"\n")
        if found >= 0:
            return window + found + 1
        stop = window
    return start


def _run_workers(
    jobs: Sequence[_Job],
    inputs: _StreamInputs | None,
    on_chunk: Callable[[int, int, int], None] | None,
    feeder: _Feeder | None = None,
) -> Iterator[PostBatch]:
    """Start one spawned process per job, yield their batches with merged counters, stop them."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue(maxsize=_QUEUE_PER_WORKER * len(jobs))
    processes = [
        context.Process(target=_parse_piece, args=(job, results, inputs), daemon=True)
        for job in jobs
    ]
    with _interrupts_ignored():
        for process in processes:
            process.start()
    if feeder is not None:
        feeder.start()
    progress = [(0, 0, 0)] * len(jobs)
    newest: dict[int, PostBatch] = {}
    running = set(range(len(jobs)))
    try:
        while running:
            kind, index, payload = _next_message(results, processes, running, feeder)
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
        if feeder is not None:
            feeder.stop()
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()
        results.close()


@contextmanager
def _interrupts_ignored() -> Iterator[None]:
    """Start processes that ignore Ctrl-C (SIGINT): it reaches the terminal's whole process group,
    but only this process handles it; it stops its workers itself, without their tracebacks. An
    ignored signal stays ignored in a spawned child, and Python then installs no handler for it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _next_message(
    results: Any, processes: Sequence[Any], running: set[int], feeder: _Feeder | None = None
) -> tuple[str, int, Any]:
    """The next worker message; a worker that exited without saying done has died."""
    while True:
        if feeder is not None and feeder.error is not None:
            raise RangesFailed(f"reading the stream failed: {feeder.error}")
        try:
            return results.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            dead = [i for i in running if processes[i].exitcode is not None]
            if dead:
                raise RangesFailed(
                    f"range {dead[0] + 1} of {len(processes)}: its worker exited "
                    f"with code {processes[dead[0]].exitcode}"
                ) from None
