"""Choices the loaders accept, free of dlt so the CLI builds its parser without importing dlt."""

from __future__ import annotations

from dataclasses import dataclass

from study.window import Window

BASELINES = ("none", "totals", "sample", "both")
"""`ptmwh load --baseline`: no baseline, yearly totals, the random sample, or both."""


@dataclass(frozen=True)
class TagSet:
    """One topic as the API loader sees it: its tags over its window.

    The loader knows no topic names or seeds (the CLI reads those); it fetches each tag over the
    windows of the tag sets that carry it and counts each tag set's exact totals over its window.

    Attributes:
        tags: the topic's tags (OR: a question with any of them belongs).
        window: the days its questions were created in.
    """

    tags: tuple[str, ...]
    window: Window
