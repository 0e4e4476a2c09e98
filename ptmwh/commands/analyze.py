"""`ptmwh analyze`: the statistical tests of every topic (and of its themes) into analysis.*."""

from __future__ import annotations

import argparse
from pathlib import Path

from study.defaults import BOOTSTRAP_REPLICATES, STUDY_SEED

from .verb import Verb, progress


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=STUDY_SEED)
    parser.add_argument(
        "--bootstrap", type=int, default=BOOTSTRAP_REPLICATES, help="bootstrap resamples"
    )


def _analyze(db_path: Path, args: argparse.Namespace) -> str:
    from analysis_py.runner import run_analysis
    from analysis_py.theme_statistics import analyze_themes

    summary = run_analysis(
        db_path, seed=args.seed, n_bootstrap=args.bootstrap, progress=progress
    ).summary_line()
    themes = analyze_themes(db_path, seed=args.seed, n_bootstrap=args.bootstrap)
    return f"{summary}; {themes}"


ANALYZE = Verb("analyze", "run the statistical tests into analysis.*", _add_arguments, _analyze)
