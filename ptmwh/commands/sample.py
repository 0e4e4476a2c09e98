"""`ptmwh sample`: draw a topic's RQ3 annotation sample into annotation/."""

from __future__ import annotations

import argparse
from pathlib import Path

from study.defaults import DEFAULT_TOPIC, STUDY_SEED

from .verb import Verb

ANNOTATION_DIR = Path("annotation")


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--topic", default=DEFAULT_TOPIC)
    parser.add_argument("--seed", type=int, default=STUDY_SEED)
    parser.add_argument("--out", type=Path, default=ANNOTATION_DIR)


def _sample(db_path: Path, args: argparse.Namespace) -> str:
    from analysis_py.annotation_sample import draw_annotation_sample

    result = draw_annotation_sample(db_path, args.out, topic=args.topic, seed=args.seed)
    return result.summary_line()


SAMPLE = Verb("sample", "draw the RQ3 annotation sample into annotation/", _add_arguments, _sample)
