"""Argument types and checks several verbs share: dates, tag lists, a `--from/--to` window."""

from __future__ import annotations

import argparse
from datetime import date

from study.window import Window, WindowError


def iso_date(text: str) -> date:
    """`--from`/`--to`/`--dump-date`: a day as YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: use YYYY-MM-DD") from None


def tag_list(text: str) -> list[str]:
    """`--tags`/`--accept`/`--reject`: tags separated by commas (or semicolons), none empty."""
    tags = [tag.strip() for tag in text.replace(";", ",").split(",") if tag.strip()]
    if not tags:
        raise argparse.ArgumentTypeError("the tag list is empty: give tags as --tags a,b,c")
    return tags


def given_window(args: argparse.Namespace) -> Window | None:
    """The window `--from` and `--to` give, None when neither is given.

    Raises:
        WindowError: `--from` is after `--to`.
    """
    if args.from_date and args.to_date:
        return Window(args.from_date, args.to_date)
    return None


def window_usage_error(args: argparse.Namespace) -> str | None:
    """Why `--from`/`--to` cannot be a window (reversed), as a usage error; None when they can."""
    try:
        given_window(args)
    except WindowError as exc:
        return str(exc)
    return None
