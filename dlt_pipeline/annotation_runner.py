"""`ptmwh annotations import`: validate labelled CSVs, then merge them into `raw_annotations`."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from dlt.pipeline.exceptions import PipelineStepFailed

from .annotations import annotations, read_labelled_csv, read_taxonomy_codes
from .annotations import settings as annotation_settings
from .annotations.helpers import Label
from .results import LoadError, LoadResult
from .runs import first_line, row_counts, run_load, warehouse_pipeline


def import_annotations(
    db_path: Path,
    files: list[Path],
    *,
    known_topics: Collection[str],
    topic: str | None = None,
    is_synthetic: bool = False,
) -> LoadResult:
    """Load annotators' labelled CSVs into `raw_annotations.annotation_labels` via dlt.

    Every file is validated before anything is loaded (codes from the `taxonomy_codes` seed, ids
    from `analysis.annotation_samples`, topics from `known_topics`), so a bad file leaves the
    warehouse as it was. Labels merge on (topic, question_id, annotator): re-importing a file is
    idempotent, a corrected file replaces the annotator's earlier codes, and a question sampled
    for two topics keeps one label per topic. When two files hold the same topic, question and
    annotator, the later file on the command line wins.

    Args:
        db_path: The warehouse file; `ptmwh sample` must have recorded a sample in it.
        files: Labelled CSVs, one or more annotators each.
        known_topics: The topics of the seeds (the caller reads them; this package reads no dbt
            files).
        topic: The topic of files (or rows) without a `topic` value; None refuses such a file.
        is_synthetic: The labels were generated (the demo's synthetic annotation round); stored
            with every label so the marts and the report flag them.

    Returns:
        The labels loaded, the table's row count afterwards and the rows still unlabelled.

    Raises:
        LoadError: No files, no recorded sample, or a file is invalid (`AnnotationFileError`,
            naming file and line).
    """
    if not files:
        raise LoadError("no files given: name one or more labelled sample CSVs")
    codes = read_taxonomy_codes()
    sample_ids = _recorded_sample_ids(db_path)
    labels, n_unlabelled = _read_files(
        files,
        codes,
        sample_ids,
        datetime.now(UTC),
        known_topics=known_topics,
        topic=topic,
        is_synthetic=is_synthetic,
    )
    if labels:
        _run_pipeline(db_path, labels)
    return LoadResult(
        items_loaded={annotation_settings.TABLE_NAME: len(labels)},
        row_counts={annotation_settings.TABLE_NAME: _label_count(db_path)},
        message=(
            f"{len(files)} file(s), {n_unlabelled} row(s) without a code skipped"
            if n_unlabelled
            else f"{len(files)} file(s)"
        ),
    )


def _read_files(
    files: list[Path],
    codes: dict[str, str],
    sample_ids: set[int],
    imported_at: datetime,
    *,
    known_topics: Collection[str],
    topic: str | None,
    is_synthetic: bool,
) -> tuple[list[Label], int]:
    """Every file's labels, one per primary key (the later file wins), and the rows not coded.

    Each file is validated whole before the next is read (`read_labelled_csv`), so an invalid
    file raises before anything is loaded.
    """
    labels: dict[tuple[object, ...], Label] = {}
    n_unlabelled = 0
    for path in files:
        file_labels, file_unlabelled = read_labelled_csv(
            path,
            codes,
            sample_ids,
            imported_at,
            known_topics=known_topics,
            default_topic=topic,
            is_synthetic=is_synthetic,
        )
        n_unlabelled += file_unlabelled
        labels.update(
            {
                tuple(label[name] for name in annotation_settings.PRIMARY_KEY): label
                for label in file_labels
            }
        )
    return list(labels.values()), n_unlabelled


def _run_pipeline(db_path: Path, labels: list[Label]) -> None:
    """Merge the validated labels into the warehouse in one dlt load."""
    pipeline = warehouse_pipeline(
        db_path, annotation_settings.PIPELINE_NAME, annotation_settings.DATASET_NAME
    )

    def failure(exc: PipelineStepFailed) -> str:
        return (
            f"loading annotations into {db_path} failed at step {exc.step}: {first_line(exc)}; "
            "the labels already in the warehouse are unchanged"
        )

    run_load(pipeline, annotations(labels), failure)


def _recorded_sample_ids(db_path: Path) -> set[int]:
    """Question ids of every sample recorded by `ptmwh sample` in the warehouse."""
    missing = LoadError(
        f"no annotation sample is recorded in {db_path}: run `ptmwh sample` and label its CSV first"
    )
    if not db_path.exists():
        raise missing
    with duckdb.connect(str(db_path), read_only=True) as con:
        try:
            rows = con.execute(
                "select distinct question_id from analysis.annotation_samples"
            ).fetchall()
        except duckdb.CatalogException:
            raise missing from None
    return {question_id for (question_id,) in rows}


def _label_count(db_path: Path) -> int:
    """Rows in `raw_annotations.annotation_labels` (0 before the first import)."""
    table = annotation_settings.TABLE_NAME
    return row_counts(db_path, annotation_settings.DATASET_NAME, [table]).get(table, 0)
