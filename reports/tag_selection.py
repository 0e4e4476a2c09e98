"""The RQ1 section's account of the snowball tag selection (§III), from `marts.rpt_tag_selection`.

The paper grew 10 initial tags (4,303 questions) to 18 (5,896) over rounds of related tags; the
report shows the same two counts for each topic and one row per round. This module only reads the
mart: it plugs into the RQ1 section through `gather`, whose one key `tag_selection` the partials
`_tag_selection.html.j2` and `_tag_selection.md.j2` render (one include line each, inside a topic's
RQ1 section, where `topic` is the topic's section context).
"""

from __future__ import annotations

from typing import Any

from .marts_reader import MartsReader

PAPER_INITIAL = {"n_tags": 10, "n_questions": 4303}
"""§III: the initial tag set and its questions."""
PAPER_FULL = {"n_tags": 18, "n_questions": 5896}
"""§III: the final tag set (Table I) and its questions."""


def gather(warehouse: MartsReader, topic: str) -> dict[str, Any]:
    """`{"tag_selection": ...}` for one topic: the initial and the full set, and every round.

    Returns `{"tag_selection": None}` when the mart is absent (a warehouse built before it) or
    holds no round of the topic (nothing loaded yet), so the partial renders nothing.
    """
    if not warehouse.has("marts", "rpt_tag_selection"):
        return {"tag_selection": None}
    rows = warehouse.topic_table("marts", "rpt_tag_selection", topic, "round, tag")
    if not rows:
        return {"tag_selection": None}
    rounds: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = rounds.setdefault(
            row["round"],
            {
                "round": row["round"],
                "n_round_tags": row["n_round_tags"],
                "n_topic_questions_before": row["n_topic_questions_before"],
                "n_topic_questions_after": row["n_topic_questions_after"],
                "n_questions_added": row["n_questions_added"],
                "status": row["round_status"],
                "is_current": row["is_current_round"],
                "n_candidates": 0,
                "accepted": [],
                "rejected": [],
            },
        )
        entry["n_candidates"] += 1
        if row["decided_round"] == row["round"] and row["decision"] == "accept":
            entry["accepted"].append(row["tag"])
        elif row["decided_round"] == row["round"] and row["decision"] == "reject":
            entry["rejected"].append(row["tag"])
    ordered = [rounds[number] for number in sorted(rounds)]
    first, last = ordered[0], ordered[-1]
    return {
        "tag_selection": {
            "initial": {
                "n_tags": first["n_round_tags"],
                "n_questions": first["n_topic_questions_before"],
            },
            "full": {
                "n_tags": last["n_round_tags"],
                "n_questions": last["n_topic_questions_before"],
            },
            "is_complete": last["status"] == "complete",
            "is_snowballed": any(row["decided_round"] is not None for row in rows),
            "rounds": ordered,
            "paper": {"initial": PAPER_INITIAL, "full": PAPER_FULL} if topic == "ptm" else None,
        }
    }
