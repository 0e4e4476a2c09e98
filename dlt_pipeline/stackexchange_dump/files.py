"""Open a dump as one stream of XML bytes: `Posts.xml`, `Posts.xml.gz`, or a `.7z`'s `Posts.xml`.

A site's archive is read as it is published: gzip in this process, `.7z` through 7-Zip in its
own process (no Python 7z reader decompresses incrementally), never extracted to disk.
"""

from __future__ import annotations

import fcntl
import gzip
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..results import LoadError

# Debian's `7zip` package installs `7zz`; the older `p7zip-full` installs `7z` (and `7za`).
_SEVEN_ZIP_PROGRAMS = ("7zz", "7z", "7za")

# Linux's default largest pipe an unprivileged process may ask for (/proc/sys/fs/pipe-max-size).
_PIPE_BYTES = 1024 * 1024


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
