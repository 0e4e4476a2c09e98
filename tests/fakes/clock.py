"""A clock tests move by hand, so that waiting out `backoff` and throttles takes no real time."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ManualClock:
    """A clock that moves only when someone sleeps on it: share it between the API replay and the
    loader so that tests of `backoff` and throttling take no real time.

    Attributes:
        t: current time in seconds.
        slept: every sleep requested, in seconds, in order.
    """

    t: float = 0.0
    slept: list[float] = field(default_factory=list)

    def now(self) -> float:
        """Current fake time (seconds)."""
        return self.t

    def sleep(self, seconds: float) -> None:
        """Advance the fake time by `seconds` at once."""
        self.slept.append(seconds)
        self.t += seconds
