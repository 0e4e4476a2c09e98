"""`ptmwh annotations import`: import labelled annotation CSVs (validated first, idempotent)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..topics import read_topics
from .verb import Verb


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    annotation_verbs = parser.add_subparsers(dest="annotations_verb", required=True)
    annotation_import = annotation_verbs.add_parser("import", help="import labelled CSVs")
    annotation_import.add_argument(
        "--topic", help="topic of files without a `topic` column (one of `ptmwh topics`)"
    )
    annotation_import.add_argument("files", type=Path, nargs="+")


def _annotations(db_path: Path, args: argparse.Namespace) -> str:
    from dlt_pipeline.annotation_runner import import_annotations

    return import_annotations(
        db_path, args.files, known_topics=set(read_topics()), topic=args.topic
    ).summary_line()


ANNOTATIONS = Verb("annotations", "annotation files", _add_arguments, _annotations)
