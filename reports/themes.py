"""A topic's themes section: the sub-topics LDA found in its question text, measured as Table IV.

Peer studies (the Hugging Face study's Table IV among them) report per theme its size, popularity
(mean views and score) and difficulty (share without an accepted answer, share unanswered, median
time to the accepted answer). Everything comes ready-made from the theme marts
(`rpt_theme_popularity_difficulty`, `rpt_theme_trends`, `rpt_theme_model_selection`,
`rpt_stale_theme_labels`) and, when the analysis wrote them, `analysis.theme_rank_correlations`
and `analysis.theme_taxonomy_agreement`; this module only orders rows for the templates and draws
the two figures. It plugs into each topic's section through `gather`, whose one key `themes` the
partials `_themes.html.j2` and `_themes.md.j2` render.

Themes are built on DuckDB only: a warehouse built on Spark has no theme marts, and the section
says so instead of failing.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from . import charts
from .marts_reader import MartsReader

THEME_MARTS = (
    "rpt_theme_popularity_difficulty",
    "rpt_theme_trends",
    "rpt_theme_model_selection",
    "rpt_stale_theme_labels",
)
"""The marts the section reads, all in `marts`; without any of them the section says why."""


def gather(warehouse: MartsReader, topic: str, number: int) -> dict[str, Any]:
    """`{"themes": ...}` for one topic; `number` keeps its figures' ids unique in the page.

    `themes.status` is `not_built` (the warehouse has no theme marts), `none` (the topic has no
    theme model) or `built`, with the table, the figures, the fits and the stale labels.
    """
    if not all(warehouse.has("marts", table) for table in THEME_MARTS):
        return {"themes": {"status": "not_built"}}
    rows = warehouse.topic_table(
        "marts", "rpt_theme_popularity_difficulty", topic, "n_questions desc, theme"
    )
    if not rows:
        return {"themes": {"status": "none"}}
    labels = {row["theme"]: _one_line(row["theme_label"]) for row in rows}
    fits = warehouse.topic_table("marts", "rpt_theme_model_selection", topic, "n_themes")
    trends = _yearly_trends(warehouse, topic, labels)
    return {
        "themes": {
            "status": "built",
            "rows": [{**row, "label": labels[row["theme"]]} for row in rows],
            "fits": fits,
            "selected": next((fit for fit in fits if fit["is_selected"]), None),
            "stale_labels": [
                {**row, "label": _one_line(row["label"] or "")}
                for row in warehouse.topic_table(
                    "marts", "rpt_stale_theme_labels", topic, "fingerprint, theme, label"
                )
            ],
            "trends": trends,
            "fig_trends": charts.theme_trends(
                {labels[theme]: points for theme, points in trends["series"].items()},
                f"theme-trends-{number}",
            ),
            "fig_scatter": charts.theme_scatter(
                [
                    (labels[row["theme"]], row["mean_view_count"], row["no_accepted_answer_rate"])
                    for row in rows
                ],
                f"theme-scatter-{number}",
            ),
            "rank_correlations": warehouse.optional_topic_table(
                "analysis",
                "theme_rank_correlations",
                topic,
                "popularity_metric, difficulty_metric",
            ),
            "taxonomy_agreement": next(
                iter(
                    warehouse.optional_topic_table(
                        "analysis", "theme_taxonomy_agreement", topic, "n_questions desc"
                    )
                    or []
                ),
                None,
            ),
        }
    }


def _yearly_trends(warehouse: MartsReader, topic: str, labels: dict[int, str]) -> dict[str, Any]:
    """The yearly relative impact per theme: chart series and a table (themes × years)."""
    rows = warehouse.rows(
        "select theme, extract(year from period_start) as year, relative_impact "
        "from marts.rpt_theme_trends where topic = ? and period_grain = 'year' "
        "order by theme, period_start",
        [topic],
    )
    years = sorted({row["year"] for row in rows})
    impact: dict[int, dict[int, float]] = defaultdict(dict)
    for row in rows:
        impact[row["theme"]][row["year"]] = row["relative_impact"]
    ordered = [theme for theme in labels if theme in impact]
    return {
        "years": years,
        "series": {
            theme: [(str(year), impact[theme].get(year)) for year in years] for theme in ordered
        },
        "table": [
            {
                "theme": theme,
                "label": labels[theme],
                "values": [impact[theme].get(year) for year in years],
            }
            for theme in ordered
        ],
    }


def _one_line(text: str) -> str:
    """A label on one line: a researcher's label may hold newlines (Markdown tables cannot)."""
    return " ".join(text.split())
