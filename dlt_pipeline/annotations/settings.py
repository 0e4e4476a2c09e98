"""Constants of the labelled annotation CSVs and of where the taxonomy's codes live."""

from __future__ import annotations

from pathlib import Path

TAXONOMY_CODES_CSV = (
    Path(__file__).resolve().parents[2]
    / "dbt_project"
    / "seeds"
    / "taxonomy"
    / "taxonomy_codes.csv"
)
"""The codebook (dbt seed `taxonomy_codes`): the only list of valid codes."""

ID_COLUMNS = ("id", "question_id")
"""Header names accepted for the question id (`ptmwh sample` writes `id`)."""
ANNOTATOR_COLUMN = "annotator"
CODE_COLUMN = "code"
TOPIC_COLUMN = "topic"
"""Column naming the topic of the sample (`ptmwh sample` writes it); else `--topic` gives it."""
PHASE_COLUMN = "phase"
"""Optional column: `pilot` for the questions coded together (paper §VI-B), else `independent`."""
PHASES = ("pilot", "independent")
DEFAULT_PHASE = "independent"
"""The phase of a label whose file has no `phase` column or whose cell is empty."""

TABLE_NAME = "annotation_labels"
DATASET_NAME = "raw_annotations"
PIPELINE_NAME = "annotations"
PRIMARY_KEY = ("topic", "question_id", "annotator")
"""A question sampled for two topics is labelled once per topic: two labels, not one."""
COLUMNS = {
    "topic": {"data_type": "text", "nullable": False},
    "question_id": {"data_type": "bigint", "nullable": False},
    "annotator": {"data_type": "text", "nullable": False},
    "code": {"data_type": "text", "nullable": False},
    "phase": {"data_type": "text", "nullable": False},
    "source_file": {"data_type": "text", "nullable": False},
    "imported_at": {"data_type": "timestamp", "nullable": False},
    "is_synthetic": {"data_type": "bool", "nullable": False},
}
"""Column hints of `raw_annotations.annotation_labels` (docs/contracts.md)."""
