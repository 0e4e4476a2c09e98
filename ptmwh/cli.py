"""The `ptmwh` command: parse arguments, call one part, report the outcome in one line.

Each verb lives in one module of `ptmwh/commands/` with its arguments and its handler, and
delegates to one package (dlt_pipeline, dbt via ptmwh.build, analysis_py, reports); this module
only assembles the verbs, takes the warehouse lock and reports. Errors the user can fix arrive as
exceptions whose text is one line; they are printed as `ptmwh <verb>: error: <text>` with exit
status 1 (set PTMWH_DEBUG=1 for the traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from .commands.analyze import ANALYZE
from .commands.annotations import ANNOTATIONS
from .commands.build import BUILD
from .commands.load import LOAD
from .commands.load_dump import LOAD_DUMP
from .commands.report import REPORT
from .commands.run import RUN
from .commands.sample import SAMPLE
from .commands.snowball import SNOWBALL
from .commands.themes import THEMES
from .commands.topics import TOPIC, TOPICS
from .commands.verb import Verb
from .locking import check_duckdb_lock, warehouse_lock
from .settings import PROJECT_ROOT, warehouse_path

_VERBS: dict[str, Verb] = {
    verb.name: verb
    for verb in (
        TOPICS,
        TOPIC,
        LOAD,
        LOAD_DUMP,
        BUILD,
        ANALYZE,
        REPORT,
        RUN,
        SAMPLE,
        SNOWBALL,
        THEMES,
        ANNOTATIONS,
    )
}
"""Every verb by name, in the order `ptmwh --help` lists them."""


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ptmwh", description="Measure how popular and how hard Stack Exchange topics are."
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for verb in _VERBS.values():
        verb.add_arguments(verbs.add_parser(verb.name, help=verb.help))
    return parser


def _lock(db_path: Path, verb: Verb, command: str) -> AbstractContextManager[None]:
    """The warehouse lock a writer holds; a reader only refuses at once, naming a writer."""
    if verb.lock == "write":
        return warehouse_lock(db_path, command)
    if verb.lock == "read":
        check_duckdb_lock(db_path, read_only=True)
    return nullcontext()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `ptmwh` console script; returns the process exit status."""
    os.environ.setdefault("DLT_PROJECT_DIR", str(PROJECT_ROOT))  # .dlt/config.toml from any cwd
    parser = _build_parser()
    args = parser.parse_args(argv)
    verb = _VERBS[args.verb]
    usage_error = verb.usage_error(args)
    if usage_error is not None:
        parser.error(usage_error)
    db_path = warehouse_path()
    command = f"ptmwh {args.verb}"
    try:
        with _lock(db_path, verb, command):
            print(verb.run(db_path, args), flush=True)
    except KeyboardInterrupt:
        print(f"{command}: interrupted; rerun to resume (loads are idempotent)", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - one line for the user; PTMWH_DEBUG=1 shows the trace
        if os.environ.get("PTMWH_DEBUG"):
            raise
        message = " ".join(str(exc).split()) or type(exc).__name__
        print(f"{command}: error: {message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
