"""Draw the report's figures as inline SVG strings with matplotlib (Agg backend, SVG output).

Every chart is drawn from numbers the marts already hold; the same numbers give byte-identical SVG
(fixed hash salt per chart, text kept as text, no metadata or dates), so the HTML is reproducible.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt  # noqa: E402  (the backend must be chosen first)
from matplotlib.figure import Figure  # noqa: E402

_GROUP_COLOURS = {"topic": "#c0392b", "baseline": "#2c6fbb"}
_TAG_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"]
STYLE: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.image_inline": True,
    "font.family": "sans-serif",
    "font.size": 10,
    "text.parse_math": False,  # tags such as "c$" must not turn into mathtext
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "figure.figsize": (8.0, 3.6),
    "figure.dpi": 100,
}
_XML_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_COMMENTS = re.compile(r"<!--.*?-->\s*", re.DOTALL)


def to_svg(fig: Figure, salt: str) -> str:
    """Serialise `fig` as an inline `<svg>` element without prologue, metadata or comments.

    `salt` must be unique in the page: it seeds the SVG's internal ids and names the figure's
    caption (`<salt>-caption`), so two charts never share an id.
    """
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": f"ptmwh-{salt}"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = _XML_PROLOGUE.sub("", buffer.getvalue(), count=1)
    svg = _METADATA.sub("", svg)
    svg = _COMMENTS.sub("", svg)
    return svg.replace("<svg ", f'<svg role="img" aria-labelledby="{salt}-caption" ', 1)


def _log_minutes_axis(axis: Any) -> None:
    """A log-scale minutes axis with ticks a reader knows (minute, hour, day, month, year)."""
    axis.set_xscale("log")
    ticks = [1, 60, 1440, 43_200, 525_600]
    axis.set_xticks(ticks, ["1 min", "1 h", "1 day", "30 days", "1 year"])
    axis.set_xlabel("minutes from question to accepted answer (log scale)")


def year_label(row: dict[str, Any]) -> str:
    """A year as an axis label, starred when the window covers only part of it."""
    return f"{row['year']}*" if row.get("is_partial_year") else str(row["year"])


def popularity_yearly(rows: Sequence[dict[str, Any]], salt: str) -> str:
    """Fig. 1a: topic questions per year (bars) and their share of all questions (line).

    A partial year's bar is hatched and its label starred: its count covers fewer days than a
    whole year, so it would read as a decline otherwise.
    """
    with matplotlib.rc_context(STYLE):
        fig, axis = plt.subplots()
        years = [year_label(row) for row in rows]
        bars = axis.bar(
            years, [row["n_topic_questions"] for row in rows], color=_GROUP_COLOURS["topic"]
        )
        for bar, row in zip(bars, rows, strict=True):
            if row.get("is_partial_year"):
                bar.set_alpha(0.45)
                bar.set_hatch("//")
        axis.set_ylabel("topic questions")
        axis.set_xlabel("year")
        shares = [row.get("topic_share") for row in rows]
        if any(share is not None for share in shares):
            share_axis = axis.twinx()
            share_axis.grid(False)
            share_axis.plot(
                years,
                [None if share is None else 100 * share for share in shares],
                color="#333333",
                marker="o",
            )
            share_axis.set_ylabel("share of all questions (%)")
            share_axis.set_ylim(bottom=0)
        return to_svg(fig, salt)


def tag_yearly(series: dict[str, list[tuple[str, int]]], salt: str) -> str:
    """Fig. 1b: questions per year for each of the most popular tags, one line per tag.

    Args:
        series: tag -> (year label, questions) points; a partial year's label is starred.
        salt: the figure's unique id in the page.
    """
    with matplotlib.rc_context(STYLE):
        fig, axis = plt.subplots()
        for colour, (tag, points) in zip(_TAG_COLOURS, series.items(), strict=False):
            axis.plot(
                [year for year, _ in points],
                [n for _, n in points],
                marker="o",
                color=colour,
                label=tag,
            )
        axis.set_ylabel("questions")
        axis.set_xlabel("year")
        if series:
            axis.legend(loc="upper left", frameon=False, fontsize=9)
        return to_svg(fig, salt)


def response_time_boxes(stats: Sequence[dict[str, Any]], salt: str) -> str:
    """Fig. 2a: one horizontal box per group, drawn from the mart's stored quantiles.

    Args:
        stats: per group, `label`, `med`, `q1`, `q3`, `whislo`, `whishi` in minutes.
    """
    with matplotlib.rc_context(STYLE):
        fig, axis = plt.subplots(figsize=(8.0, 1.2 + 0.8 * max(len(stats), 1)))
        boxes = [{**box, "fliers": []} for box in stats]
        if boxes:
            drawn = axis.bxp(boxes, orientation="horizontal", showfliers=False, patch_artist=True)
            for patch, box in zip(drawn["boxes"], stats, strict=True):
                patch.set_facecolor(_GROUP_COLOURS.get(box["group"], "#888888"))
                patch.set_alpha(0.6)
        _log_minutes_axis(axis)
        return to_svg(fig, salt)


def survival(curves: dict[str, list[dict[str, Any]]], salt: str) -> str:
    """Fig. 2b: Kaplan–Meier curves of "still no accepted answer" per group, with 95% bands."""
    with matplotlib.rc_context(STYLE):
        fig, axis = plt.subplots()
        for group, points in curves.items():
            colour = _GROUP_COLOURS.get(group, "#888888")
            minutes = [max(point["minutes"], 0.5) for point in points]
            axis.step(
                minutes,
                [point["survival_probability"] for point in points],
                where="post",
                color=colour,
                label=group,
            )
            if all(point["ci_low"] is not None for point in points):
                axis.fill_between(
                    minutes,
                    [point["ci_low"] for point in points],
                    [point["ci_high"] for point in points],
                    step="post",
                    color=colour,
                    alpha=0.15,
                    linewidth=0,
                )
        _log_minutes_axis(axis)
        axis.set_ylabel("share still without an accepted answer")
        axis.set_ylim(0, 1.02)
        if curves:
            axis.legend(frameon=False)
        return to_svg(fig, salt)


def _theme_colours(n: int) -> list[Any]:
    """One colour per theme, distinct for up to 20 themes (matplotlib's tab20 palette)."""
    palette = matplotlib.colormaps["tab20"].colors
    return [palette[index % len(palette)] for index in range(n)]


def theme_trends(series: dict[str, list[tuple[str, float | None]]], salt: str) -> str:
    """A topic's themes over time: each theme's yearly relative impact, one line per theme.

    Relative impact (Barua et al.) is the period's sum of the questions' weights on the theme
    over the period's questions, so a partial year is comparable with a whole one.

    Args:
        series: theme label -> (year, relative impact) points, largest theme first.
        salt: the figure's unique id in the page.
    """
    with matplotlib.rc_context(STYLE):
        fig, axis = plt.subplots(figsize=(8.0, 4.2))
        for colour, (label, points) in zip(
            _theme_colours(len(series)), series.items(), strict=True
        ):
            axis.plot(
                [year for year, _ in points],
                [None if value is None else 100 * value for _, value in points],
                marker="o",
                color=colour,
                label=label,
            )
        axis.set_ylabel("relative impact (%)")
        axis.set_xlabel("year")
        axis.set_ylim(bottom=0)
        if series:
            axis.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
        return to_svg(fig, salt)


def theme_scatter(points: Sequence[tuple[str, float | None, float | None]], salt: str) -> str:
    """Popularity against difficulty of a topic's themes, each point labelled with its theme.

    Args:
        points: (theme label, mean views, share without an accepted answer) per theme; a theme
            missing either value is left out.
        salt: the figure's unique id in the page.
    """
    drawn = [(label, x, y) for label, x, y in points if x is not None and y is not None]
    with matplotlib.rc_context(STYLE):
        fig, axis = plt.subplots(figsize=(8.0, 4.8))
        for colour, (label, x, y) in zip(_theme_colours(len(drawn)), drawn, strict=True):
            axis.scatter([x], [100 * y], color=colour, s=36, zorder=3)
            axis.annotate(
                label,
                (x, 100 * y),
                xytext=(5, 4),
                textcoords="offset points",
                fontsize=8,
                color="#333333",
            )
        axis.set_xlabel("popularity: mean views per question")
        axis.set_ylabel("difficulty: share without an accepted answer (%)")
        return to_svg(fig, salt)
