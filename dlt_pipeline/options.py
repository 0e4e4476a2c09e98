"""Choices the loaders accept, free of dlt so the CLI builds its parser without importing dlt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

BASELINES = ("none", "totals", "sample", "both")
"""`ptmwh load --baseline`: no baseline, yearly totals, the random sample, or both."""


@dataclass(frozen=True)
class TagWindow:
    """One topic as the API loader sees it: its tags over its window (both days inclusive, UTC).

    The loader knows no topic names or seeds (the CLI reads those); it fetches each tag over the
    windows of the tag sets that carry it and counts each tag set's exact totals over its window.

    Attributes:
        tags: the topic's tags (OR: a question with any of them belongs).
        from_date: first day.
        to_date: last day.
    """

    tags: tuple[str, ...]
    from_date: date
    to_date: date
