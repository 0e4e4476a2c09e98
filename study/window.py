"""The time window of a topic or a load: its first and last day, both inclusive, in UTC.

Stack Exchange stores creation times as UTC epoch seconds, so a window of days is compared with
them as [start of the first day, start of the day after the last day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta


class WindowError(ValueError):
    """A window ends before it starts; the text is one line with the fix."""


def day_start_epoch(day: date) -> int:
    """Epoch seconds of 00:00:00 UTC of `day`."""
    return int(datetime.combine(day, datetime.min.time(), UTC).timestamp())


@dataclass(frozen=True)
class Window:
    """Days from `first_day` to `last_day`, both inclusive, in UTC; checked when built.

    Attributes:
        first_day: the first day in the window.
        last_day: the last day in the window.

    Raises:
        WindowError: `first_day` is after `last_day`.
    """

    first_day: date
    last_day: date

    def __post_init__(self) -> None:
        if self.first_day > self.last_day:
            raise WindowError(f"--from {self.first_day} is after --to {self.last_day}: swap them")

    def __str__(self) -> str:
        return f"{self.first_day}..{self.last_day}"

    @property
    def end_day(self) -> date:
        """The first day past the window (the day after `last_day`)."""
        return self.last_day + timedelta(days=1)

    @property
    def start_epoch(self) -> int:
        """The window's first epoch second (00:00:00 UTC of `first_day`)."""
        return day_start_epoch(self.first_day)

    @property
    def end_epoch(self) -> int:
        """The first epoch second past the window (00:00:00 UTC of `end_day`)."""
        return day_start_epoch(self.end_day)
