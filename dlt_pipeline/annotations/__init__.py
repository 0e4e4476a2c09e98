"""The `annotations` dlt source: RQ3 labels from annotators' CSVs into `raw_annotations`.

Files are read and validated by `helpers.read_labelled_csv` before the source is built, so a
rejected file never reaches the warehouse. The one resource, `annotation_labels`, merges on
(topic, question_id, annotator): importing a file again replaces its labels instead of adding
rows.
"""

from __future__ import annotations

from collections.abc import Iterable

import dlt
from dlt.extract.resource import DltResource

from ..raw_contract import FROZEN_CONTRACT, MERGE
from . import settings
from .helpers import AnnotationFileError, Label, read_labelled_csv, read_taxonomy_codes

__all__ = ["AnnotationFileError", "annotations", "read_labelled_csv", "read_taxonomy_codes"]


@dlt.source(name=settings.PIPELINE_NAME)
def annotations(labels: Iterable[Label]) -> DltResource:
    """Return the `annotation_labels` resource over already validated labels."""
    return dlt.resource(
        list(labels),
        name=settings.TABLE_NAME,
        primary_key=list(settings.PRIMARY_KEY),
        write_disposition=MERGE,
        columns=settings.COLUMNS,
        schema_contract=FROZEN_CONTRACT,
    )
