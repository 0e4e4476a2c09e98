"""Parse a `Posts.xml` stream into bounded Arrow batches of the posts a load keeps.

The file is read in chunks and fed to expat (C, streaming): only the current batch of kept posts is
held in memory, never the document tree. The `Body="..."` attribute of every post that is not a
question (answers are over half the posts and their bodies are never stored), or of every post when
bodies are not wanted, is cut out before expat has to decode it.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from xml.parsers import expat

from study.window import Window

from ..results import LoadError
from .batches import PostBatch, PostContext, to_batch
from .files import DumpStream
from .filters import PostCollector
from .settings import BATCH_ROWS, READ_CHUNK_BYTES

# Every row's body, and the body of a row whose PostTypeId is not "1" (answers, tag wikis, ...):
# the dump writes PostTypeId before Body, and a row written otherwise keeps its body (only slower).
# Attribute values escape `"` and `>`, so neither pattern can reach into a value or the next row.
_BODY_ATTRIBUTE = re.compile(rb' Body="[^"]*"')

_NON_QUESTION_BODY = re.compile(rb'( PostTypeId="(?!1")[^"]*"[^>]*?) Body="[^"]*"')


class DumpParseError(LoadError):
    """The dump is not well-formed XML (corrupt or truncated); posts before the error are loaded."""


@dataclass(frozen=True)
class ParseOptions:
    """How a dump is parsed: the same in this process and in every worker (picklable).

    Attributes:
        windows: questions created outside all of them are skipped; so are answers created
            before the first.
        site: the domain of the dump's site (`beer.stackexchange.com`), for keys and links.
        collected_at: the dump's date in epoch seconds when known up front (`--dump-date`); else
            null, and the runner fills it with the file's newest date once the file has ended.
        include_bodies: keep the HTML `Body` of questions (off: every body is cut before expat,
            the questions' `body` is null). Answers' bodies are always cut: no table stores them.
        batch_rows: target kept posts per batch.
        chunk_bytes: bytes read per parser feed (completed to the end of the line).
    """

    windows: tuple[Window, ...]
    site: str
    collected_at: int | None = None
    include_bodies: bool = True
    batch_rows: int = BATCH_ROWS
    chunk_bytes: int = READ_CHUNK_BYTES


def iter_post_batches(
    stream: DumpStream,
    options: ParseOptions,
    on_chunk: Callable[[int, int, int], None] | None = None,
) -> Iterator[PostBatch]:
    """Parse the dump and yield batches of at most about `options.batch_rows` kept posts.

    A batch may exceed `batch_rows` by the posts of one read chunk (a few thousand rows at 4 MiB
    without bodies), so memory is bounded by `batch_rows` plus one chunk, however large the file.
    On malformed XML the posts parsed before the error are yielded first, then `DumpParseError` is
    raised naming the line and byte offset.

    Args:
        stream: the dump, from `files.open_dump`.
        options: windows, site, bodies, batch size.
        on_chunk: called after each chunk with (bytes read, posts seen, posts kept), for progress.

    Yields:
        `PostBatch` objects in file order; at least one (empty for a file without kept posts).

    Raises:
        DumpParseError: the XML is corrupt or truncated.
        NotAPostsFileError: a row lacks `PostTypeId` or `CreationDate` (raised at once).
    """
    collector = PostCollector(options.windows)
    parser = expat.ParserCreate()
    parser.StartElementHandler = collector.start_element
    site = options.site
    post = PostContext(site, f"https://{site}/q/", options.collected_at, options.include_bodies)
    strip_bodies = _strip_non_question_bodies if options.include_bodies else _strip_bodies
    lines_fed = bytes_fed = batches_yielded = 0
    chunk = b""
    error: DumpParseError | None = None

    def take_batch() -> PostBatch:
        batch = to_batch(collector, post, stream.bytes_read())
        collector.questions, collector.answers = [], []
        return batch

    try:
        while chunk := stream.reader.read(options.chunk_bytes):
            chunk += stream.reader.readline()
            parser.Parse(strip_bodies(chunk), False)
            lines_fed = parser.CurrentLineNumber - 1
            bytes_fed += len(chunk)
            chunk = b""
            if on_chunk is not None:
                on_chunk(stream.bytes_read(), collector.posts_seen, collector.posts_kept)
            if collector.size >= options.batch_rows:
                batches_yielded += 1
                yield take_batch()
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        error = _parse_error(exc, chunk, lines_fed, bytes_fed, collector.posts_seen)
    except (EOFError, OSError, zlib.error) as exc:
        error = _stream_error(stream.bytes_read(), exc)
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


def _stream_error(bytes_read: int, exc: Exception) -> DumpParseError:
    """A file that ends or fails to decompress mid-stream, in one line saying where it broke."""
    return DumpParseError(
        f"dump is corrupt or truncated near byte {bytes_read} of the file ({exc}); "
        f"posts before it were loaded; re-download the file and re-run the load"
    )


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
