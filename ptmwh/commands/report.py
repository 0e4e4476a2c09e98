"""`ptmwh report`: render reports/site/index.html and report.md over every topic."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..settings import PROJECT_ROOT
from .verb import Verb

REPORT_DIR = PROJECT_ROOT / "reports" / "site"


def add_out_argument(parser: argparse.ArgumentParser) -> None:
    """`--out`, where the report goes (`run` takes it too)."""
    parser.add_argument("--out", type=Path, default=REPORT_DIR)


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    add_out_argument(parser)
    parser.add_argument(
        "--allow-stale",
        action="store_true",
        help="render after a failed build, or over marts older than the newest load",
    )


def _report(db_path: Path, args: argparse.Namespace) -> str:
    from reports.renderer import render_report

    result = render_report(db_path, args.out, allow_stale=args.allow_stale)
    return f"report written: {result.html_path} and {result.md_path}"


REPORT = Verb(
    "report",
    "render reports/site/index.html and report.md",
    _add_arguments,
    _report,
    lock="read",
)
