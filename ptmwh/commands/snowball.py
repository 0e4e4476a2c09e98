"""`ptmwh snowball`: show a snowball round's candidate tags and record decisions (§III)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..snowball import DEFAULT_LIMIT, run_snowball
from ..topics import ADDED_TAG_KIND
from .arguments import tag_list
from .verb import Verb


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--topic", required=True, help="a topic of the seeds")
    parser.add_argument("--accept", type=tag_list, default=[], help="tags to add to the topic")
    parser.add_argument("--reject", type=tag_list, default=[], help="tags not on topic")
    parser.add_argument("--reason", help="why (required with --reject)")
    parser.add_argument("--tag-kind", default=ADDED_TAG_KIND, help="tag_kind of accepted tags")
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="candidates shown")


def _snowball(db_path: Path, args: argparse.Namespace) -> str:
    return run_snowball(
        db_path,
        args.topic,
        accept=args.accept,
        reject=args.reject,
        reason=args.reason,
        tag_kind=args.tag_kind,
        limit=args.limit,
    )


SNOWBALL = Verb(
    "snowball",
    "show a snowball round's candidate tags and record decisions (§III)",
    _add_arguments,
    _snowball,
)
