"""What a verb is to the CLI: its arguments, its handler, how it holds the warehouse."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Handler = Callable[[Path, argparse.Namespace], str]
"""Does the verb's work on the warehouse file and returns its one-line (or few-line) outcome."""


def _no_usage_error(args: argparse.Namespace) -> str | None:
    return None


@dataclass(frozen=True)
class Verb:
    """One verb of `ptmwh`.

    Attributes:
        name: what the user types (`load-dump`).
        help: its line in `ptmwh --help`.
        add_arguments: adds its options to its subparser (or to a standalone parser, see `parse`).
        run: its handler.
        lock: `write` takes the warehouse lock; `read` only refuses at once, naming the holder,
            when a writer has the file; `none` never touches the file (`topic` writes the seeds).
        usage_error: what is wrong with arguments argparse cannot check one by one (a reversed
            window, flags that go together), as the usage error's text; None when nothing is.
    """

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Handler
    lock: Literal["write", "read", "none"] = "write"
    usage_error: Callable[[argparse.Namespace], str | None] = _no_usage_error

    def parse(self, argv: list[str]) -> argparse.Namespace:
        """The verb's arguments from `argv`, defaults from its own options: how `run` composes
        verbs without restating any of their defaults."""
        parser = argparse.ArgumentParser(prog=f"ptmwh {self.name}")
        self.add_arguments(parser)
        return parser.parse_args(argv)


def progress(line: str) -> None:
    """A step's progress line on stderr (stdout keeps the outcome)."""
    print(f"  {line}", file=sys.stderr, flush=True)
