"""Load progress: one bar updated in place on a terminal, plain lines every few seconds in a log.

A fake clock drives every case, so no test sleeps.
"""

from __future__ import annotations

import io

from ptmwh.progress import ApiProgress, DumpProgress, DumpProgressLines


class _Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _feed(meter, clock: _Clock, steps: int, seconds_per_step: float) -> None:
    for step in range(1, steps + 1):
        clock.t += seconds_per_step
        meter(step * 10_000_000, step * 20_000, step * 15_000)


def test_a_log_gets_one_plain_line_every_five_seconds() -> None:
    out, clock = io.StringIO(), _Clock()
    with DumpProgress(out, clock, terminal=False) as shown:
        _feed(shown.meter(1_000_000_000), clock, steps=60, seconds_per_step=0.5)  # 30 s
    lines = out.getvalue().splitlines()
    assert len(lines) == 6  # at 5, 10, ..., 30 s
    assert lines[0] == (
        "  read 100.0 MB of 1,000.0 MB (10%), 40,000 posts/s, 150,000 posts kept, ETA 45 s"
    )


def test_a_terminal_gets_one_bar_redrawn_in_place() -> None:
    out, clock = io.StringIO(), _Clock()
    with DumpProgress(out, clock, terminal=True) as shown:
        _feed(shown.meter(1_000_000_000), clock, steps=60, seconds_per_step=0.5)
    text = out.getvalue()
    assert text.count("\n") <= 2  # one bar, redrawn with cursor moves, not one line per update
    assert "\r" in text or "\x1b[" in text
    assert "0.6/1.0 GB" in text and "40,000 posts/s, 900,000 kept" in text
    assert "0:00:20" in text  # ETA: 30 s for 60% of the bytes


def test_a_7z_member_of_unknown_size_shows_bytes_without_eta() -> None:
    out, clock = io.StringIO(), _Clock()
    with DumpProgress(out, clock, terminal=False) as shown:
        _feed(shown.meter(None), clock, steps=10, seconds_per_step=1.0)
    lines = out.getvalue().splitlines()
    assert lines == [
        "  read 50.0 MB, 20,000 posts/s, 75,000 posts kept",
        "  read 100.0 MB, 20,000 posts/s, 150,000 posts kept",
    ]


def test_api_page_lines_fold_into_one_line_and_events_stay() -> None:
    out, clock = io.StringIO(), _Clock()
    shown = ApiProgress(out, clock, terminal=False)
    for page in range(1, 13):
        clock.t += 1.0
        shown(f"questions[bert]: page {page}, 100 new items, quota left {9_000 - page}")
        if page == 7:
            shown("throttled (too many requests); waiting 10 s")
    shown.close()
    assert out.getvalue().splitlines() == [
        "  1 pages; questions[bert]: page 1, 100 new items, quota left 8999",
        "  6 pages; questions[bert]: page 6, 100 new items, quota left 8994",
        "  throttled (too many requests); waiting 10 s",
        "  11 pages; questions[bert]: page 11, 100 new items, quota left 8989",
    ]


def test_api_progress_on_a_terminal_updates_one_line_in_place() -> None:
    out = io.StringIO()
    shown = ApiProgress(out, _Clock(), terminal=True)
    for page in range(1, 31):
        shown(f"questions[bert]: page {page}, 100 new items, quota left {9_000 - page}")
    shown("stopping: quota exhausted")
    shown.close()
    text = out.getvalue()
    assert "30 pages; questions[bert]: page 30, 100 new items, quota left 8970" in text
    assert "stopping: quota exhausted" in text
    assert text.count("\n") <= 3


def test_progress_reports_at_most_once_an_interval_with_eta() -> None:
    now = [100.0]
    lines: list[str] = []
    reporter = DumpProgressLines(
        lines.append, total_bytes=1_000_000, clock=lambda: now[0], interval=1.0
    )
    for step in range(1, 11):
        now[0] = 100.0 + step * 0.25
        reporter.update(step * 50_000, step * 1_000, step * 900)
    assert len(lines) == 2  # at 1.0 s and 2.0 s of the 2.5 s
    assert lines[0] == "read 0.2 MB of 1.0 MB (20%), 4,000 posts/s, 3,600 posts kept, ETA 4 s"
