"""Date windows of the Stack Exchange source: UTC days as the API's inclusive epoch seconds."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta


def day_start_epoch(day: date) -> int:
    """Epoch seconds of 00:00:00 UTC of `day`."""
    return int(datetime.combine(day, datetime.min.time(), UTC).timestamp())


def window_epochs(from_date: date, to_date: date) -> tuple[int, int]:
    """Both days inclusive, as the API's inclusive `fromdate`/`todate` epoch seconds."""
    return day_start_epoch(from_date), day_start_epoch(to_date + timedelta(days=1)) - 1


def year_windows(lo: int, hi: int) -> list[tuple[int, int, int]]:
    """(year, from epoch, to epoch) for each calendar year the window touches, clipped to it."""
    first, last = (datetime.fromtimestamp(t, UTC).year for t in (lo, hi))
    out = []
    for year in range(first, last + 1):
        y_lo, y_hi = window_epochs(date(year, 1, 1), date(year, 12, 31))
        out.append((year, max(lo, y_lo), min(hi, y_hi)))
    return out
