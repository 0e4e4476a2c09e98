"""Gather the RQ3 section (paper §VI) per topic: the taxonomy as Fig. 3, false positives, phases, κ.

Everything is read from `marts.rpt_taxonomy_distribution` and `marts.rpt_annotation_agreement`
(κ, its standard error and interval come ready-made from dbt); this module only nests rows for the
templates and draws the figure. Each topic's labels are a study of their own, so every labelled
topic gets its own block, and the topics without labels are listed with how to sample them.
"""

from __future__ import annotations

from typing import Any

from . import taxonomy_chart
from .marts_reader import MartsReader, Row

_TAXONOMY = ("marts", "rpt_taxonomy_distribution")
# Totals every taxonomy row of a topic repeats.
_TOTALS = (
    "n_annotated_questions",
    "n_false_positive",
    "false_positive_rate",
    "n_pilot_questions",
    "n_independent_questions",
    "is_synthetic",
)


def gather(warehouse: MartsReader, topics: list[str]) -> dict[str, Any]:
    """The RQ3 content: one block per labelled topic, and the topics still without labels.

    Args:
        warehouse: The open marts.
        topics: The report's topics, in the order of their sections; a labelled topic outside
            them (its seed row removed since) still gets its block, after them.
    """
    labelled = warehouse.annotated_topics()
    ordered = [topic for topic in topics if topic in labelled]
    ordered += [topic for topic in labelled if topic not in topics]
    blocks = [_topic_block(warehouse, topic, number) for number, topic in enumerate(ordered, 1)]
    return {
        "rq3_topics": blocks,
        "rq3_unlabelled": [
            {"topic": topic, "n_sampled": _n_sampled(warehouse, topic)}
            for topic in topics
            if topic not in labelled
        ],
        "annotations_synthetic": any(block["annotations_synthetic"] for block in blocks),
    }


def _topic_block(warehouse: MartsReader, topic: str, number: int) -> dict[str, Any]:
    """One topic's RQ3 block; `number` keeps its figure's ids unique in the page."""
    taxonomy = _taxonomy_tree(warehouse.taxonomy_rollup(topic))
    totals = _totals(warehouse, topic)
    agreement = warehouse.agreement(topic)
    return {
        "topic": topic,
        "number": number,
        "taxonomy": taxonomy,
        "fig3": taxonomy_chart.icicle(taxonomy, f"fig3-{number}") if taxonomy else "",
        "false_positive_rates": warehouse.false_positive_rates(topic),
        "annotation_totals": totals,
        "agreement": agreement,
        "annotations_synthetic": bool(totals.get("is_synthetic"))
        or any(row.get("is_synthetic") for row in agreement),
    }


def _totals(warehouse: MartsReader, topic: str) -> Row:
    """The topic's annotation totals (one distinct row is expected); None where absent."""
    totals: Row = dict.fromkeys(_TOTALS)
    rows = warehouse.rows(
        f"select distinct {', '.join(_TOTALS)} from {'.'.join(_TAXONOMY)} where topic = ? "
        "order by all limit 1",
        [topic],
    )
    totals.update(rows[0] if rows else {})
    return totals


def _n_sampled(warehouse: MartsReader, topic: str) -> int:
    """Questions drawn by `ptmwh sample --topic` so far (0 when no sample exists)."""
    if not warehouse.has("analysis", "annotation_samples"):
        return 0
    return warehouse.rows(
        "select count(distinct question_id) as n from analysis.annotation_samples where topic = ?",
        [topic],
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
