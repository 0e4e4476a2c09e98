"""The outcome of one load, shared by every loader so the CLI can report it in one line."""

from __future__ import annotations

from dataclasses import dataclass, field


class LoadError(Exception):
    """A load failed for a reason the user can fix; the message is one line: problem and fix."""


@dataclass
class LoadResult:
    """What one `ptmwh load`/`load-dump`/`annotations import` did.

    Attributes:
        status: `completed`, or `quota_exhausted` when the API quota ran out (data so far is kept).
        requests_made: HTTP requests sent (0 for file loads).
        items_loaded: items yielded per resource in this run.
        row_counts: rows per raw table after the load (the whole table, not just this run).
        quota_remaining: the API's last `quota_remaining`, when known.
        message: one human line (e.g. when to resume).
    """

    status: str = "completed"
    requests_made: int = 0
    items_loaded: dict[str, int] = field(default_factory=dict)
    row_counts: dict[str, int] = field(default_factory=dict)
    quota_remaining: int | None = None
    message: str = ""

    def summary_line(self) -> str:
        """One line for the terminal: status, requests (API loads), items per resource, quota."""
        items = ", ".join(f"{name}={n}" for name, n in sorted(self.items_loaded.items()))
        parts = [f"{self.requests_made} requests"] if self.requests_made else []
        parts.append(f"loaded {items or 'nothing'}")
        if self.quota_remaining is not None:
            parts.append(f"quota left {self.quota_remaining}")
        line = f"{self.status}: {', '.join(parts)}"
        return f"{line}. {self.message.rstrip('.')}" if self.message else line
