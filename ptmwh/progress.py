"""Progress of long loads on stderr: one updating line on a terminal, plain lines in a log.

A full dump used to print a line a second; on a terminal users expect one bar that updates in
place, and in a log a line every few seconds. `rich` draws the bar (no hand-written cursor
control); both modes take an injectable clock so tests need no sleeps.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

PLAIN_INTERVAL_SECONDS = 5.0
"""Seconds between two plain progress lines when stderr is not a terminal (a log, not a flood)."""

_REDRAW_SECONDS = 0.2
_API_STEP_MARK = ", quota left "
"""Every per-page line of the API loader ends with the quota left; other lines are events."""


def is_terminal(stream: TextIO) -> bool:
    """Whether `stream` is an interactive terminal (a bar) rather than a file or pipe (lines)."""
    return bool(getattr(stream, "isatty", lambda: False)())


class DumpProgressLines:
    """A dump load's progress as plain lines: bytes read, posts/s, ETA; at most one per interval.

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
        interval: float = PLAIN_INTERVAL_SECONDS,
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


class _Shown:
    """Where and how often progress is shown: what a dump's and the API's progress share.

    Args:
        stream: where progress goes (default: stderr as it is when constructed).
        clock: monotonic seconds (tests pass a fake).
        terminal: draw in place; default: whether `stream` is a terminal.
        interval: seconds between plain lines.
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
        terminal: bool | None = None,
        interval: float = PLAIN_INTERVAL_SECONDS,
    ) -> None:
        self._stream = sys.stderr if stream is None else stream
        self._clock = clock
        self._terminal = is_terminal(self._stream) if terminal is None else terminal
        self._interval = interval
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._begin()

    def _begin(self) -> None:
        """Set up what the kind of progress keeps (called once the shared fields are set)."""
        raise NotImplementedError


class DumpProgress(_Shown):
    """Progress of one dump load: a rich bar on a terminal, else `DumpProgressLines`.

    Use as a context manager; pass `meter` to `run_dump_load`, which calls it with the file's size
    once opened and then calls the returned function after each chunk.

    Args:
        stream: where progress goes (default: stderr as it is when constructed).
        clock: monotonic seconds (tests pass a fake).
        terminal: draw a bar; default: whether `stream` is a terminal.
        interval: seconds between plain lines.
    """

    def _begin(self) -> None:
        self._started = 0.0
        self._drawn = float("-inf")

    def __enter__(self) -> DumpProgress:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._bar is not None:
            self._bar.refresh()
            self._bar.stop()

    def meter(self, total_bytes: int | None) -> Callable[[int, int, int], None]:
        """The per-chunk callback for a file of `total_bytes` (None: unknown, no ETA)."""
        if not self._terminal:
            lines = DumpProgressLines(self._line, total_bytes, self._clock, self._interval)
            return lines.update
        console = Console(file=self._stream, force_terminal=True)
        self._bar = Progress(
            TextColumn("reading"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=console,
            auto_refresh=False,
            get_time=self._clock,
        )
        self._task = self._bar.add_task("dump", total=total_bytes, rate="")
        self._bar.start()
        self._started = self._clock()
        return self._update

    def _update(self, bytes_read: int, posts_seen: int, posts_kept: int) -> None:
        assert self._bar is not None and self._task is not None
        now = self._clock()
        elapsed = now - self._started
        rate = posts_seen / elapsed if elapsed > 0 else 0.0
        self._bar.update(
            self._task, completed=bytes_read, rate=f"{rate:,.0f} posts/s, {posts_kept:,} kept"
        )
        if now - self._drawn >= _REDRAW_SECONDS:
            self._drawn = now
            self._bar.refresh()

    def _line(self, text: str) -> None:
        print(f"  {text}", file=self._stream, flush=True)


class ApiProgress(_Shown):
    """Progress of an API load: per-page lines (pages, items, quota left) fold into one line.

    On a terminal the newest page line replaces the last in place (rich) with the count of pages
    so far; in a log one such line is written every `interval` seconds. Other lines (backoff,
    throttling, stopping) are always written in full. Call it with each line; close it at the end.

    Args:
        stream: where progress goes (default: stderr as it is when constructed).
        clock: monotonic seconds (tests pass a fake).
        terminal: fold in place; default: whether `stream` is a terminal.
        interval: seconds between plain page lines.
    """

    def _begin(self) -> None:
        self._pages = 0
        self._written: float | None = None
        if self._terminal:
            console = Console(file=self._stream, force_terminal=True)
            self._bar = Progress(
                TextColumn("{task.description}"), console=console, auto_refresh=False
            )
            self._task = self._bar.add_task("")
            self._bar.start()

    def __call__(self, line: str) -> None:
        """Show one line of the API loader."""
        if _API_STEP_MARK not in line:
            self._event(line)
            return
        self._pages += 1
        text = f"{self._pages:,} pages; {line}"
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, description=escape(text))  # `[tag]` is not markup
            self._bar.refresh()
            return
        now = self._clock()
        if self._written is None or now - self._written >= self._interval:
            self._written = now
            print(f"  {text}", file=self._stream, flush=True)

    def _event(self, line: str) -> None:
        if self._bar is not None:
            self._bar.console.print(f"  {line}", highlight=False, markup=False)
            self._bar.refresh()
        else:
            print(f"  {line}", file=self._stream, flush=True)

    def close(self) -> None:
        """Stop the live line (its last state stays on screen)."""
        if self._bar is not None:
            self._bar.stop()
