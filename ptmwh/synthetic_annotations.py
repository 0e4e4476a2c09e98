"""The demo's synthetic RQ3 annotation round: sample, label, import, rebuild the annotation marts.

`ptmwh run --synthetic-sample` has no annotators, so after the load and build it plays the paper's
§VI-B study end to end through the real steps: `ptmwh sample`'s draw (`analysis_py`), labels written
as annotators' CSVs (`demo.synthetic.annotations`), `ptmwh annotations import` (`dlt_pipeline`,
flagged synthetic) and a dbt build of the annotation nodes. Only the labelling is simulated.
"""

from __future__ import annotations

from pathlib import Path

from analysis_py.annotation_sample import draw_annotation_sample
from demo.synthetic.annotations import write_synthetic_annotations
from dlt_pipeline.annotation_runner import import_annotations
from dlt_pipeline.annotations.settings import TAXONOMY_CODES_CSV
from study.defaults import DEFAULT_TOPIC, STUDY_SEED

from .build import run_dbt
from .topics import read_topics

ANNOTATION_NODES = ("stg_annotations__labels+", "taxonomy_codes+")
"""dbt selection of the labels' staging, the taxonomy seed and everything built on them."""


def run_synthetic_annotation_round(db_path: Path, *, seed: int = STUDY_SEED) -> str:
    """Draw the sample, generate and import the synthetic labels, rebuild; return one line.

    The CSVs go to `synthetic-annotation/` beside the warehouse file, where a reader can open them
    as an annotator would.

    Raises:
        SampleError, LoadError, BuildError: as the sample, import and build steps raise them.
    """
    out_dir = db_path.parent / "synthetic-annotation"
    sample = draw_annotation_sample(db_path, out_dir, topic=DEFAULT_TOPIC, seed=seed)
    labels = write_synthetic_annotations(sample.csv_path, TAXONOMY_CODES_CSV, out_dir, seed=seed)
    imported = import_annotations(
        db_path, list(labels.files), known_topics=set(read_topics()), is_synthetic=True
    )
    run_dbt(db_path, "build", extra_args=["--select", *ANNOTATION_NODES], quiet=True)
    return (
        f"{labels.n_questions} sampled questions labelled by 2 synthetic annotators "
        f"({labels.n_pilot} pilot, {labels.n_questions - labels.n_pilot} independent, "
        f"{labels.n_false_positive} false positives), "
        f"{imported.items_loaded.get('annotation_labels', 0)} labels imported from {out_dir}"
    )
