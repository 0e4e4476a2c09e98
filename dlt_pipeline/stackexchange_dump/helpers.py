"""Stream a Stack Exchange `Posts.xml` into bounded Arrow batches shaped like the raw tables.

The file is read in chunks and fed to expat (C, streaming): only the current batch of kept posts is
held in memory, never the document tree. Two cheap tricks keep it fast: a row outside the window is
dropped by comparing its ISO `CreationDate` string before anything is converted, and the
`Body="..."` attribute of every post that is not a question (answers are over half the posts and
their bodies are never stored), or of every post when bodies are not wanted, is cut out before
expat has to decode it. Every conversion (ids, dates, titles, tags) then runs column-wise in Arrow.
"""

from __future__ import annotations

import bisect
import fcntl
import gzip
import itertools
import re
import shutil
import subprocess
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from study.window import Window

from ..raw_contract import ANSWERS_SCHEMA, QUESTION_TAGS_SCHEMA, QUESTIONS_SCHEMA
from ..results import LoadError
from .settings import (
    ANSWER_POST_TYPE,
    BATCH_ROWS,
    COLLECTED_BY,
    DATA_SOURCE,
    FABRICATED_OWNER,
    FABRICATED_POSTS,
    ID_OUTLIER_FACTOR,
    PROGRESS_INTERVAL_SECONDS,
    QUESTION_POST_TYPE,
    READ_CHUNK_BYTES,
    TOP_IDS_TRACKED,
)

# Every row's body, and the body of a row whose PostTypeId is not "1" (answers, tag wikis, ...):
# the dump writes PostTypeId before Body, and a row written otherwise keeps its body (only slower).
# Attribute values escape `"` and `>`, so neither pattern can reach into a value or the next row.
_BODY_ATTRIBUTE = re.compile(rb' Body="[^"]*"')
_NON_QUESTION_BODY = re.compile(rb'( PostTypeId="(?!1")[^"]*"[^>]*?) Body="[^"]*"')
# The dump stores plain titles; the API sends them HTML-encoded; staging decodes one format only.
_HTML_ENCODINGS = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#39;"))
# Debian's `7zip` package installs `7zz`; the older `p7zip-full` installs `7z` (and `7za`).
_SEVEN_ZIP_PROGRAMS = ("7zz", "7z", "7za")
# Linux's default largest pipe an unprivileged process may ask for (/proc/sys/fs/pipe-max-size).
_PIPE_BYTES = 1024 * 1024


class DumpParseError(LoadError):
    """The dump is not well-formed XML (corrupt or truncated); posts before the error are loaded."""


@dataclass
class PostBatch:
    """One bounded batch of kept posts as Arrow tables in the raw tables' shape.

    Attributes:
        questions: rows of `questions` (contract columns).
        question_tags: rows of `question_tags` (question_id, tag, tag_position).
        answers: answers not yet resolved against their question (no `is_accepted`).
        bytes_read: bytes of the file read so far (compressed bytes for `.gz`).
        posts_seen: posts (rows of any type) parsed so far, kept or not.
        posts_kept: questions and answers kept so far.
        other_post_types: posts so far that are neither question nor answer (tag wikis, ...).
        fabricated: the dump's fabricated posts dropped so far (settings.FABRICATED_POSTS).
        top_ids: the largest question and answer ids so far, by PostTypeId, ascending.
        newest_date: the newest `CreationDate`/`LastActivityDate` of any post so far (ISO text,
            UTC), the dump's date when the file ends.
    """

    questions: pa.Table
    question_tags: pa.Table
    answers: pa.Table
    bytes_read: int
    posts_seen: int
    posts_kept: int
    other_post_types: int
    fabricated: int
    top_ids: dict[str, list[int]]
    newest_date: str

    @property
    def kept_posts(self) -> int:
        """Questions plus answers in this batch."""
        return self.questions.num_rows + self.answers.num_rows


@dataclass
class DumpStream:
    """A binary reader over the dump's XML and how far through the file it is.

    Attributes:
        reader: the decompressed XML bytes.
        bytes_read: returns bytes consumed from the file on disk so far.
        total_bytes: size of the file on disk, or None when unknown (a `.7z` member).
    """

    reader: IO[bytes]
    bytes_read: Callable[[], int]
    total_bytes: int | None


_FOLDER_MEMBERS = ("Posts.xml", "Posts.xml.gz")


def dump_file(path: Path) -> Path:
    """The file a dump path names: the path itself, or a folder's `Posts.xml` (or `.xml.gz`).

    A site's archive extracts into a folder of tables, so the folder (`beer.stackexchange.com/`,
    which also names the site) stands for its `Posts.xml`.

    Raises:
        LoadError: a folder without either file (one line naming what to pass).
    """
    if not path.is_dir():
        return path
    for name in _FOLDER_MEMBERS:
        if (path / name).is_file():
            return path / name
    raise LoadError(
        f"{path} is a folder without Posts.xml or Posts.xml.gz; pass the dump's Posts.xml, "
        ".xml.gz or .7z file, or the folder its archive was extracted into"
    )


@contextmanager
def open_dump(path: Path) -> Iterator[DumpStream]:
    """Open `Posts.xml`, `Posts.xml.gz`, or a `.7z` archive's `Posts.xml` as one streaming reader.

    `.7z` is streamed through 7-Zip (`7zz` or `7z`) because no Python 7z reader decompresses
    incrementally; without it the error names the package and how to extract the file once.

    Raises:
        LoadError: the file is missing, or it is a `.7z` that 7-Zip cannot stream.
    """
    if not path.is_file():
        raise LoadError(f"dump file not found: {path}; pass the path of Posts.xml, .xml.gz or .7z")
    if path.suffix.lower() == ".7z":
        with _open_seven_zip(path) as stream:
            yield stream
        return
    with path.open("rb") as raw:
        total = path.stat().st_size
        if path.suffix.lower() == ".gz":
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield DumpStream(unzipped, raw.tell, total)  # type: ignore[arg-type]
        else:
            yield DumpStream(raw, raw.tell, total)


@contextmanager
def _open_seven_zip(path: Path) -> Iterator[DumpStream]:
    """Stream `Posts.xml` out of a `.7z` archive via `7zz e -so` (or `7z`), never to disk.

    An archive without a `Posts.xml` member makes 7-Zip exit 0 having written nothing, so an empty
    stream is checked before the parser would report it as a truncated file.

    Raises:
        LoadError: no 7-Zip program is installed, the archive holds no `Posts.xml`, or 7-Zip
            fails (a corrupt archive); one line each.
    """
    program = next((p for p in map(shutil.which, _SEVEN_ZIP_PROGRAMS) if p), None)
    if program is None:
        raise LoadError(
            f"cannot stream {path.name}: no 7-Zip program found (7zz or 7z); install it with "
            f"`apt-get install 7zip` (or p7zip-full), or extract once with "
            f"`7zz e {path} Posts.xml` and load that Posts.xml"
        )
    command = [program, "e", "-so", str(path), "Posts.xml"]
    # Its own process group: Ctrl-C stops the load, which then closes the pipe, not 7-Zip first.
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, process_group=0
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        _widen_pipe(process.stdout.fileno())
        counted = _CountingReader(process.stdout)
        has_member = bool(process.stdout.peek(1))  # type: ignore[attr-defined]
        if has_member:
            yield DumpStream(counted, lambda: counted.count, None)
        process.stdout.close()
        stderr = process.stderr.read().decode(errors="replace").strip()
        if process.wait() != 0:
            last_line = (stderr.splitlines() or ["no message"])[-1]
            raise LoadError(
                f"7-Zip could not extract Posts.xml from {path}: {last_line}; "
                "re-download the archive and re-run"
            )
        if not has_member:
            raise LoadError(
                f"{path} holds no Posts.xml; pass the site's dump archive "
                "(e.g. beer.stackexchange.com.7z) or its extracted Posts.xml"
            )


def _widen_pipe(descriptor: int) -> None:
    """Let 7-Zip write up to `_PIPE_BYTES` ahead of the reader (Linux; elsewhere the default).

    A pipe holds 64 KiB by default, so the decoder and the reader would switch every 64 KiB.
    """
    try:
        fcntl.fcntl(descriptor, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    except (AttributeError, OSError):
        return


class _CountingReader:
    """A read-only wrapper that counts the bytes read through it (for progress on pipes)."""

    def __init__(self, inner: IO[bytes]) -> None:
        self._inner = inner
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._inner.read(size)
        self.count += len(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        data = self._inner.readline(size)
        self.count += len(data)
        return data

    def readinto(self, buffer: memoryview) -> int:
        read = self._inner.readinto(buffer)  # type: ignore[attr-defined]
        self.count += read
        return read


class NotAPostsFileError(LoadError):
    """The file's rows lack `PostTypeId` or `CreationDate`: not a Posts.xml; nothing is loaded."""


class _PostCollector:
    """expat handler that keeps the attribute dicts of in-window posts until a batch is full.

    It also drops the dump's fabricated posts and tracks the largest ids of each post type, so the
    runner can drop id outliers once the whole file has been seen.
    """

    def __init__(self, windows: Sequence[Window]) -> None:
        self.questions: list[dict[str, str]] = []
        self.answers: list[dict[str, str]] = []
        self.posts_seen = 0
        self.posts_kept = 0
        self.other_post_types = 0
        self.fabricated = 0
        self.newest_date = ""
        # Ascending; the smallest tracked id first, so a larger one replaces it.
        self.top_ids: dict[str, list[int]] = {
            QUESTION_POST_TYPE: [0] * TOP_IDS_TRACKED,
            ANSWER_POST_TYPE: [0] * TOP_IDS_TRACKED,
        }
        # Dump dates are ISO 8601 without zone, in UTC: a day's ISO text bounds its rows' dates.
        self._spans = [(w.first_day.isoformat(), w.end_day.isoformat()) for w in windows]
        self._first_iso = min(start for start, _ in self._spans)

    def start_element(self, name: str, attributes: dict[str, str]) -> None:
        if name != "row":
            return
        post_type = attributes.get("PostTypeId")
        created = attributes.get("CreationDate")
        if post_type is None or created is None:
            missing = "PostTypeId" if post_type is None else "CreationDate"
            raise NotAPostsFileError(
                f"row {self.posts_seen + 1} has no {missing}: this is not a Stack Exchange "
                "Posts.xml (another table of the dump, or another tool's export); nothing was "
                "loaded; pass the dump's Posts.xml or its .7z archive"
            )
        self.posts_seen += 1
        newest = max(created, attributes.get("LastActivityDate", ""))
        if newest > self.newest_date:
            self.newest_date = newest
        if post_type != QUESTION_POST_TYPE and post_type != ANSWER_POST_TYPE:
            self.other_post_types += 1
            return
        post_id = attributes.get("Id", "0")
        if (post_type, post_id) in FABRICATED_POSTS and (
            attributes.get("OwnerUserId") == FABRICATED_OWNER
        ):
            self.fabricated += 1
            return
        top = self.top_ids[post_type]
        number = int(post_id)
        if number > top[0]:
            bisect.insort(top, number)
            del top[0]
        if post_type == QUESTION_POST_TYPE:
            if any(lo <= created < end for lo, end in self._spans):
                self.questions.append(attributes)
                self.posts_kept += 1
        # An answer is never older than its question, so one before every window cannot belong
        # to it; later ones wait for their question (which may come later in the file).
        elif created >= self._first_iso:
            self.answers.append(attributes)
            self.posts_kept += 1

    @property
    def size(self) -> int:
        return len(self.questions) + len(self.answers)


def id_outliers(top_ids: Sequence[int]) -> list[int]:
    """The ids among a type's largest that exceed `ID_OUTLIER_FACTOR` times the next-largest id.

    Args:
        top_ids: the largest ids seen of one post type, ascending (zeros where fewer were seen).
    """
    return [
        post_id
        for below, post_id in itertools.pairwise(top_ids)
        if below > 0 and post_id > ID_OUTLIER_FACTOR * below
    ]


def iter_post_batches(
    stream: DumpStream,
    windows: Window | Sequence[Window],
    *,
    site: str,
    collected_at: int | None = None,
    include_bodies: bool = True,
    batch_rows: int = BATCH_ROWS,
    on_chunk: Callable[[int, int, int], None] | None = None,
    chunk_bytes: int = READ_CHUNK_BYTES,
) -> Iterator[PostBatch]:
    """Parse the dump and yield batches of at most about `batch_rows` kept posts.

    A batch may exceed `batch_rows` by the posts of one read chunk (a few thousand rows at 4 MiB
    without bodies), so memory is bounded by `batch_rows` plus one chunk, however large the file.
    On malformed XML the posts parsed before the error are yielded first, then `DumpParseError` is
    raised naming the line and byte offset.

    Args:
        stream: the dump, from `open_dump`.
        windows: questions created outside all of them are skipped; so are answers created
            before the first.
        site: the domain of the dump's site (`beer.stackexchange.com`), for keys and links.
        collected_at: the dump's date in epoch seconds when known up front (`--dump-date`); else
            null, and the runner fills it with the file's newest date once the file has ended.
        include_bodies: keep the HTML `Body` of questions (off: every body is cut before expat,
            the questions' `body` is null). Answers' bodies are always cut: no table stores them.
        batch_rows: target kept posts per batch.
        on_chunk: called after each chunk with (bytes read, posts seen, posts kept), for progress.
        chunk_bytes: bytes read per parser feed (completed to the end of the line).

    Yields:
        `PostBatch` objects in file order; at least one (empty for a file without kept posts).

    Raises:
        DumpParseError: the XML is corrupt or truncated.
        NotAPostsFileError: a row lacks `PostTypeId` or `CreationDate` (raised at once).
    """
    collector = _PostCollector([windows] if isinstance(windows, Window) else windows)
    parser = expat.ParserCreate()
    parser.StartElementHandler = collector.start_element
    post = _PostContext(site, f"https://{site}/q/", collected_at, include_bodies)
    strip_bodies = _strip_non_question_bodies if include_bodies else _strip_bodies
    lines_fed = bytes_fed = batches_yielded = 0
    chunk = b""
    error: DumpParseError | None = None

    def take_batch() -> PostBatch:
        batch = _to_batch(collector, post, stream.bytes_read())
        collector.questions, collector.answers = [], []
        return batch

    try:
        while chunk := stream.reader.read(chunk_bytes):
            chunk += stream.reader.readline()
            parser.Parse(strip_bodies(chunk), False)
            lines_fed = parser.CurrentLineNumber - 1
            bytes_fed += len(chunk)
            chunk = b""
            if on_chunk is not None:
                on_chunk(stream.bytes_read(), collector.posts_seen, collector.posts_kept)
            if collector.size >= batch_rows:
                batches_yielded += 1
                yield take_batch()
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        error = _parse_error(exc, chunk, lines_fed, bytes_fed, collector.posts_seen)
    except (EOFError, OSError, zlib.error) as exc:
        error = DumpParseError(
            f"dump is corrupt or truncated near byte {stream.bytes_read()} of the file ({exc}); "
            f"posts before it were loaded; re-download the file and re-run the load"
        )
    if collector.size or not batches_yielded:
        yield take_batch()  # at least one, possibly empty: its counters describe the whole file
    if error is not None:
        raise error


def _strip_bodies(chunk: bytes) -> bytes:
    """`chunk` without any row's `Body` attribute."""
    return _BODY_ATTRIBUTE.sub(b"", chunk)


def _strip_non_question_bodies(chunk: bytes) -> bytes:
    """`chunk` without the `Body` attribute of rows that are not questions."""
    return _NON_QUESTION_BODY.sub(rb"\1", chunk)


def _parse_error(
    exc: expat.ExpatError, chunk: bytes, lines_before: int, bytes_before: int, posts_seen: int
) -> DumpParseError:
    """Turn an expat error into a one-line message with the line and that line's byte offset."""
    line = exc.lineno
    offset = bytes_before
    newlines_into_chunk = line - 1 - lines_before
    position = -1
    for _ in range(max(newlines_into_chunk, 0)):
        position = chunk.find(b"\n", position + 1)
        if position < 0:
            break
    if chunk and position >= 0:
        offset = bytes_before + position + 1
    reason = expat.ErrorString(exc.code)
    return DumpParseError(
        f"dump XML is corrupt or truncated at line {line} (byte {offset} of the XML): {reason}; "
        f"the {posts_seen} posts before it were parsed and loaded; re-download the file and re-run"
    )


_QUESTION_ATTRIBUTES = (
    "Id",
    "AcceptedAnswerId",
    "AnswerCount",
    "Title",
    "Score",
    "ViewCount",
    "CreationDate",
    "LastActivityDate",
    "OwnerUserId",
    "ClosedDate",
    "ContentLicense",
    "Tags",
    "Body",
)
_ANSWER_ATTRIBUTES = ("Id", "ParentId", "CreationDate", "LastActivityDate", "Score", "OwnerUserId")


def _attributes(rows: list[dict[str, str]], names: Sequence[str]) -> dict[str, pa.Array]:
    """The named attributes of every row as Arrow string arrays (null where a row lacks one).

    One conversion of the dicts to a struct array, in Arrow's C++, instead of a Python list per
    attribute: the per-post cost of the parse is mostly Python, and this takes a share of it out
    (benchmarks/README.md).
    """
    struct = pa.array(rows, type=pa.struct([(name, pa.string()) for name in names]))
    return {name: struct.field(name) for name in names}


def _int_column(attributes: dict[str, pa.Array], name: str) -> pa.Array:
    """An integer attribute as int64 (null where absent)."""
    return attributes[name].cast(pa.int64())


def _epoch_column(attributes: dict[str, pa.Array], name: str) -> pa.Array:
    """An ISO 8601 UTC date attribute as epoch seconds (int64, null where absent), like the API."""
    parsed = attributes[name].cast(pa.timestamp("ms"))
    return pc.cast(parsed, pa.timestamp("s"), safe=False).cast(pa.int64())


def _html_encode(titles: pa.Array) -> pa.Array:
    """Encode `&`, `<`, `>`, `"`, `'` as the API does, so staging decodes both sources alike."""
    for plain, encoded in _HTML_ENCODINGS:
        titles = pc.replace_substring(titles, plain, encoded)
    return titles


def _constant(value: Any, length: int, type_: pa.DataType) -> pa.Array:
    """A column repeating one value."""
    return pa.array([value] * length, type=type_)


@dataclass(frozen=True)
class _PostContext:
    """What every row of one dump shares: its site, link prefix, observation time, bodies or not."""

    site: str
    link_prefix: str
    collected_at: int | None
    include_bodies: bool


def _to_batch(collector: _PostCollector, post: _PostContext, bytes_read: int) -> PostBatch:
    """Convert the collected attribute dicts into the three Arrow tables."""
    attributes = _attributes(collector.questions, _QUESTION_ATTRIBUTES)
    questions = _questions_table(attributes, len(collector.questions), post)
    return PostBatch(
        questions=questions,
        question_tags=_question_tags_table(
            attributes["Tags"], questions.column("question_id"), post.site
        ),
        answers=_answers_table(collector.answers, post.site),
        bytes_read=bytes_read,
        posts_seen=collector.posts_seen,
        posts_kept=collector.posts_kept,
        other_post_types=collector.other_post_types,
        fabricated=collector.fabricated,
        top_ids={post_type: list(ids) for post_type, ids in collector.top_ids.items()},
        newest_date=collector.newest_date,
    )


def _questions_table(attributes: dict[str, pa.Array], n: int, post: _PostContext) -> pa.Table:
    """Rows of `questions` in the API loader's Arrow schema (docs/contracts.md)."""
    include_bodies = post.include_bodies
    link_prefix = post.link_prefix
    question_id = _int_column(attributes, "Id")
    accepted_answer_id = _int_column(attributes, "AcceptedAnswerId")
    answer_count = pc.fill_null(_int_column(attributes, "AnswerCount"), 0)
    body = attributes["Body"] if include_bodies else _constant(None, n, pa.string())
    # The dump lacks the API's is_answered (accepted, or an answer scoring > 0); the closest the
    # question row allows is "has an accepted answer, or any answer".
    is_answered = pc.or_(pc.is_valid(accepted_answer_id), pc.greater(answer_count, 0))
    columns = {
        "site": _constant(post.site, n, pa.string()),
        "question_id": question_id,
        "title": _html_encode(attributes["Title"]),
        "link": pc.binary_join_element_wise(link_prefix, question_id.cast(pa.string()), ""),
        "body": body,
        "score": _int_column(attributes, "Score"),
        "view_count": _int_column(attributes, "ViewCount"),
        "answer_count": answer_count,
        "is_answered": is_answered,
        "accepted_answer_id": accepted_answer_id,
        "creation_date": _epoch_column(attributes, "CreationDate"),
        "last_activity_date": _epoch_column(attributes, "LastActivityDate"),
        "owner_user_id": _int_column(attributes, "OwnerUserId"),
        "closed_date": _epoch_column(attributes, "ClosedDate"),
        "content_license": attributes["ContentLicense"],
        "data_source": _constant(DATA_SOURCE, n, pa.string()),
        "collected_by": _constant(COLLECTED_BY, n, pa.string()),
        "collected_at": _constant(post.collected_at, n, pa.int64()),
        "is_synthetic": _constant(False, n, pa.bool_()),
        "deleted_at": _constant(None, n, pa.int64()),
    }
    return pa.table(columns).cast(QUESTIONS_SCHEMA)


def _question_tags_table(tags: pa.Array, question_id: pa.Array, site: str) -> pa.Table:
    """One row per (question, tag) from `<a><b>` or `|a|b|` tag strings, keeping the tags' order."""
    raw = pc.fill_null(tags, "")
    tag_lists = pc.split_pattern(pc.replace_substring(pc.utf8_trim(raw, "<>|"), "><", "|"), "|")
    tags = pc.list_flatten(tag_lists)
    parents = pc.list_parent_indices(tag_lists).to_numpy()
    offsets = tag_lists.offsets.to_numpy()
    positions = np.arange(len(tags), dtype=np.int64) - offsets[parents]
    table = pa.table(
        {
            "site": _constant(site, len(tags), pa.string()),
            "question_id": pc.take(question_id, pa.array(parents)),
            "tag": tags,
            "tag_position": pa.array(positions, type=pa.int64()),
            "deleted_at": _constant(None, len(tags), pa.int64()),
        }
    )
    return table.filter(pc.not_equal(table.column("tag"), "")).cast(QUESTION_TAGS_SCHEMA)


def _answers_table(rows: list[dict[str, str]], site: str) -> pa.Table:
    """Answers as parsed, with their parent `question_id`; `is_accepted` is set on resolution."""
    n = len(rows)
    attributes = _attributes(rows, _ANSWER_ATTRIBUTES)
    return pa.table(
        {
            "site": _constant(site, n, pa.string()),
            "answer_id": _int_column(attributes, "Id"),
            "question_id": _int_column(attributes, "ParentId"),
            "is_accepted": _constant(None, n, pa.bool_()),
            "creation_date": _epoch_column(attributes, "CreationDate"),
            "last_activity_date": _epoch_column(attributes, "LastActivityDate"),
            "score": _int_column(attributes, "Score"),
            "owner_user_id": _int_column(attributes, "OwnerUserId"),
            "data_source": _constant(DATA_SOURCE, n, pa.string()),
            "is_synthetic": _constant(False, n, pa.bool_()),
            "deleted_at": _constant(None, n, pa.int64()),
        }
    ).cast(ANSWERS_SCHEMA)


class ProgressReporter:
    """Report bytes read, posts/s and ETA at most once per interval, through an injectable clock.

    Args:
        report: where lines go (the CLI passes `print`).
        total_bytes: size of the file on disk, or None when unknown (no ETA then).
        clock: seconds, monotonic (tests pass a fake).
        interval: minimum seconds between two lines.
    """

    def __init__(
        self,
        report: Callable[[str], None],
        total_bytes: int | None,
        clock: Callable[[], float],
        interval: float = PROGRESS_INTERVAL_SECONDS,
    ) -> None:
        self._report = report
        self._total = total_bytes
        self._clock = clock
        self._interval = interval
        self._started = clock()
        self._last: float | None = None

    def update(self, bytes_read: int, posts_seen: int, posts_kept: int) -> None:
        """Emit a progress line if the interval has passed since the last one."""
        now = self._clock()
        if self._last is not None and now - self._last < self._interval:
            return
        if self._last is None and now - self._started < self._interval:
            return
        self._last = now
        self._report(self.line(bytes_read, posts_seen, posts_kept, now - self._started))

    def line(self, bytes_read: int, posts_seen: int, posts_kept: int, elapsed: float) -> str:
        """Format one progress line: MB read (and %), posts/s, posts kept, ETA."""
        rate = posts_seen / elapsed if elapsed > 0 else 0.0
        text = f"read {bytes_read / 1e6:,.1f} MB"
        eta = ""
        if self._total:
            share = min(bytes_read / self._total, 1.0)
            text += f" of {self._total / 1e6:,.1f} MB ({share:.0%})"
            if 0 < share < 1 and elapsed > 0:
                eta = f", ETA {elapsed * (1 - share) / share:,.0f} s"
        return f"{text}, {rate:,.0f} posts/s, {posts_kept:,} posts kept{eta}"
