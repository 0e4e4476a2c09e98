"""`ptmwh run`: load topics, then build, analyze and report every topic, one line per step.

The steps are the verbs themselves: each step's arguments come from that verb's own parser, so a
default (the seed, the bootstrap replicates, the engine) is stated once, where the verb is.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from .analyze import ANALYZE
from .build import BUILD
from .load import add_load_arguments, load, topic_flag_refusal
from .load_dump import load_bundled_dumps
from .report import REPORT, add_out_argument
from .verb import Verb


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    add_load_arguments(parser)
    add_out_argument(parser)


def _synthetic_annotations(db_path: Path) -> str:
    from ..synthetic_annotations import run_synthetic_annotation_round

    return run_synthetic_annotation_round(db_path)


def _run(db_path: Path, args: argparse.Namespace) -> str:
    demo = args.synthetic_sample
    steps: list[tuple[str, Callable[[], str]]] = [
        ("load", lambda: load(db_path, args)),
        *([("load-dump", lambda: load_bundled_dumps(db_path))] if demo else []),
        ("build", lambda: BUILD.run(db_path, BUILD.parse([]))),
        *([("annotate", lambda: _synthetic_annotations(db_path))] if demo else []),
        ("analyze", lambda: ANALYZE.run(db_path, ANALYZE.parse([]))),
        ("report", lambda: REPORT.run(db_path, REPORT.parse(["--out", str(args.out)]))),
    ]
    for name, step in steps:
        started = time.monotonic()
        print(f"[{name}] {step()} ({time.monotonic() - started:.1f} s)", flush=True)
    return f"warehouse: {db_path}\nreport: {args.out / 'index.html'} (and report.md)"


RUN = Verb(
    "run",
    "load topics, then build, analyze and report every topic",
    _add_arguments,
    _run,
    usage_error=topic_flag_refusal,
)
