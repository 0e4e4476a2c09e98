"""`ptmwh themes`: print a topic's themes (LDA sub-topics), their coherence, stale labels."""

from __future__ import annotations

import argparse
from pathlib import Path

from study.defaults import DEFAULT_TOPIC

from .verb import Verb


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--topic",
        default=DEFAULT_TOPIC,
        metavar="NAME",
        help=f"a topic of the seeds (default {DEFAULT_TOPIC})",
    )


def _themes(db_path: Path, args: argparse.Namespace) -> str:
    from ..themes import run_themes

    return run_themes(db_path, args.topic)


THEMES = Verb(
    "themes",
    "print a topic's themes (LDA sub-topics), their coherence, stale labels",
    _add_arguments,
    _themes,
    lock="read",
)
