"""Date windows of the Stack Exchange source: as the API's inclusive `fromdate`/`todate` seconds."""

from __future__ import annotations

from datetime import UTC, date, datetime

from study.window import Window


def window_epochs(window: Window) -> tuple[int, int]:
    """The window as the API's inclusive `fromdate`/`todate` epoch seconds."""
    return window.start_epoch, window.end_epoch - 1


def year_windows(lo: int, hi: int) -> list[tuple[int, int, int]]:
    """(year, from epoch, to epoch) for each calendar year the window touches, clipped to it."""
    first, last = (datetime.fromtimestamp(t, UTC).year for t in (lo, hi))
    out = []
    for year in range(first, last + 1):
        y_lo, y_hi = window_epochs(Window(date(year, 1, 1), date(year, 12, 31)))
        out.append((year, max(lo, y_lo), min(hi, y_hi)))
    return out
