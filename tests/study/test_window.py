"""A window of days: checked once when built, its UTC epoch bounds half-open."""

from __future__ import annotations

from datetime import date

import pytest

from study.window import Window, WindowError, day_start_epoch

PAPER = Window(date(2018, 1, 1), date(2023, 6, 15))


def test_the_papers_window_in_epoch_seconds() -> None:
    assert PAPER.start_epoch == 1_514_764_800  # 2018-01-01T00:00:00Z
    assert PAPER.end_epoch == 1_686_873_600  # 2023-06-16T00:00:00Z, the first second past it
    assert PAPER.end_day == date(2023, 6, 16)
    assert str(PAPER) == "2018-01-01..2023-06-15"


def test_a_one_day_window_holds_that_days_seconds() -> None:
    day = Window(date(2020, 2, 29), date(2020, 2, 29))
    assert day.end_epoch - day.start_epoch == 24 * 60 * 60
    assert day.start_epoch == day_start_epoch(date(2020, 2, 29)) == 1_582_934_400


def test_a_reversed_window_is_refused_naming_the_fix() -> None:
    with pytest.raises(WindowError) as refused:
        Window(date(2021, 1, 1), date(2020, 1, 1))
    assert str(refused.value) == "--from 2021-01-01 is after --to 2020-01-01: swap them"
    assert isinstance(refused.value, ValueError)


def test_equal_windows_are_one_window() -> None:
    again = Window(date(2018, 1, 1), date(2023, 6, 15))
    assert list(dict.fromkeys([PAPER, again])) == [PAPER]
