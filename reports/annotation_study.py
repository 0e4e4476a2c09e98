"""Gather the RQ3 section (paper §VI): the taxonomy as Fig. 3, false positives, phases and κ.

Everything is read from `marts.rpt_taxonomy_distribution` and `marts.rpt_annotation_agreement`
(κ, its standard error and interval come ready-made from dbt); this module only nests rows for the
templates and draws the figure.
"""

from __future__ import annotations

from typing import Any

from . import taxonomy_chart
from .marts_reader import MartsReader, Row

_TAXONOMY = ("marts", "rpt_taxonomy_distribution")
# Totals every taxonomy row repeats; older marts may lack some, which then read as absent.
_TOTALS = (
    "n_annotated_questions",
    "n_false_positive",
    "false_positive_rate",
    "n_pilot_questions",
    "n_independent_questions",
    "is_synthetic",
)


def gather(warehouse: MartsReader) -> dict[str, Any]:
    """The RQ3 content: nested taxonomy, Fig. 3's SVG, totals per phase, κ with its interval."""
    taxonomy = _taxonomy_tree(warehouse.taxonomy_rollup())
    totals = _totals(warehouse)
    agreement = warehouse.agreement()
    return {
        "taxonomy": taxonomy,
        "fig3": taxonomy_chart.icicle(taxonomy) if taxonomy else "",
        "false_positive_rates": warehouse.false_positive_rates(),
        "annotation_totals": totals,
        "agreement": agreement,
        "annotations_synthetic": bool(totals.get("is_synthetic"))
        or any(row.get("is_synthetic") for row in agreement),
        "n_sampled_for_annotation": _n_sampled(warehouse),
    }


def _totals(warehouse: MartsReader) -> Row:
    """The mart's annotation totals (one distinct row is expected); None where absent."""
    totals: Row = dict.fromkeys(_TOTALS)
    if not warehouse.has(*_TAXONOMY):
        return totals
    rows = warehouse.rows(
        f"select distinct {', '.join(_TOTALS)} from {'.'.join(_TAXONOMY)} order by all limit 1"
    )
    totals.update(rows[0] if rows else {})
    return totals


def _n_sampled(warehouse: MartsReader) -> int:
    """Questions drawn by `ptmwh sample` so far (0 when no sample exists)."""
    if not warehouse.has("analysis", "annotation_samples"):
        return 0
    return warehouse.rows(
        "select count(distinct question_id) as n from analysis.annotation_samples"
    )[0]["n"]


def _taxonomy_tree(rows: list[Row]) -> list[dict[str, Any]]:
    """Nest the rolled-up taxonomy rows: categories > sub-categories > codes."""
    categories: dict[str, dict[str, Any]] = {}
    for row in rows:
        category = categories.setdefault(
            row["category"],
            {"name": row["category"], "subs": {}, "n": 0, "share": None, "paper_share": None},
        )
        if row["rolled_up"] == 2:
            category.update(n=row["n"], share=row["share"], paper_share=row["paper_share"])
            continue
        sub = category["subs"].setdefault(
            row["sub_category"],
            {"name": row["sub_category"], "codes": [], "n": 0, "share": None, "paper_share": None},
        )
        if row["rolled_up"] == 1:
            sub.update(n=row["n"], share=row["share"], paper_share=row["paper_share"])
        else:
            sub["codes"].append(row)
    return [
        {**category, "subs": list(category["subs"].values())} for category in categories.values()
    ]
