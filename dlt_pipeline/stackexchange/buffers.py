"""Rows per raw table, buffered into Arrow batches before they go to dlt."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..hints import marked
from . import settings
from .client import ApiRun, Item


class Buffers:
    """Rows per raw table, handed to dlt in batches of `ROWS_PER_ARROW_BATCH` (fewer files)."""

    def __init__(self, run: ApiRun) -> None:
        self.run = run
        self.rows: dict[str, list[Item]] = {}

    def add(self, table: str, rows: list[Item]) -> Iterator[Any]:
        """Buffer `rows`; yield a marked table when the buffer is full."""
        buffered = self.rows.setdefault(table, [])
        buffered.extend(rows)
        self.run.items[table] += len(rows)
        if len(buffered) >= settings.ROWS_PER_ARROW_BATCH:
            yield marked(table, buffered)
            self.rows[table] = []

    def drain(self) -> Iterator[Any]:
        """Yield everything still buffered."""
        for table, rows in self.rows.items():
            if rows:
                yield marked(table, rows)
        self.rows = {}
