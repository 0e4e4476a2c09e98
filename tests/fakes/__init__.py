"""Fakes used only by tests: fault injection on the API replay, a manual clock, small datasets
(API items in `small_dataset`, raw table rows in `raw_rows`).

They live under `tests/` so they never ship in an installed package; they may build on `demo`,
which must not import them.
"""

from .clock import ManualClock
from .faults import FaultPlan, serve
from .small_dataset import make_dataset

__all__ = ["FaultPlan", "ManualClock", "make_dataset", "serve"]
