"""Draw forest plots: one estimate with its 95% interval per row (a topic, a tag), as inline SVG.

A forest plot lets a reader compare many topics or tags on one metric at a glance, which a table of
intervals does not; the table beside it in the report carries the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib
from matplotlib import pyplot as plt
from matplotlib.axes import Axes
from matplotlib.ticker import NullFormatter

from .charts import STYLE, to_svg
from .formatting import is_missing

_COLOUR = "#c0392b"
_REFERENCE_COLOUR = "#2c6fbb"


@dataclass(frozen=True)
class ForestRow:
    """One row of a forest plot.

    Attributes:
        label: What the row is (a topic's title, a tag).
        estimate: The point estimate; None draws no marker.
        ci_low: Lower bound of its 95% interval (None: no interval).
        ci_high: Upper bound of its 95% interval.
        reference: This row's own reference (its topic's baseline), drawn as a short vertical
            line across the row; None for none.
        significant: Whether the row's test is significant (filled marker) or not (open
            marker); None when the plot marks no significance.
    """

    label: str
    estimate: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    reference: float | None = None
    significant: bool | None = None


def marker_group_ids(salt: str) -> dict[str, str]:
    """The SVG ids of the plot's marker groups: all estimates, or split by significance."""
    return {
        "estimates": f"{salt}-estimates",
        "significant": f"{salt}-significant",
        "not_significant": f"{salt}-not-significant",
    }


def forest_plot(
    rows: Sequence[ForestRow],
    *,
    salt: str,
    xlabel: str,
    reference_line: float | None = None,
    reference_label: str = "baseline",
    tick_format: Callable[[float], str] | None = None,
    log_scale: bool = False,
) -> str:
    """A forest plot as an inline `<svg>`: rows top to bottom, interval as a line, estimate a dot.

    Markers are grouped under the ids of `marker_group_ids(salt)` (one `<use>` per marker) so the
    plot can be checked row by row.

    Args:
        rows: The rows, in display order.
        salt: The figure's unique id in the page.
        xlabel: What the horizontal axis measures, with its unit.
        reference_line: A value drawn as a vertical line over the whole plot (0 for differences,
            1 for ratios); per-row references come from `ForestRow.reference`.
        reference_label: Legend text of the references.
        tick_format: Formats the axis's tick values (e.g. as percentages).
        log_scale: A log axis, for minutes that span orders of magnitude.
    """
    with matplotlib.rc_context(STYLE):
        fig, axis = plt.subplots(figsize=(8.0, 1.0 + 0.45 * max(len(rows), 1)))
        positions = list(range(len(rows), 0, -1))
        _draw_intervals(axis, positions, rows)
        has_references = _draw_references(
            axis, positions, rows, reference_line=reference_line, label=reference_label
        )
        _draw_estimates(axis, positions, rows, marker_group_ids(salt))
        _label_axes(
            axis, positions, rows, xlabel=xlabel, log_scale=log_scale, tick_format=tick_format
        )
        if has_references:
            axis.legend(loc="best", frameon=False, fontsize=9)
        return to_svg(fig, salt)


def _draw_intervals(axis: Axes, positions: Sequence[int], rows: Sequence[ForestRow]) -> None:
    """Each row's 95% interval as a horizontal line (none where a bound is missing)."""
    for y, row in zip(positions, rows, strict=True):
        if not (is_missing(row.ci_low) or is_missing(row.ci_high)):
            axis.hlines(y, row.ci_low, row.ci_high, color=_COLOUR, linewidth=2)


def _draw_references(
    axis: Axes,
    positions: Sequence[int],
    rows: Sequence[ForestRow],
    *,
    reference_line: float | None,
    label: str,
) -> bool:
    """Each row's own reference as a short vertical line, and the plot's reference line over all.

    Returns whether anything was drawn (then the plot has a legend); the legend names the
    references once.
    """
    references = [
        (y, row.reference)
        for y, row in zip(positions, rows, strict=True)
        if not is_missing(row.reference)
    ]
    if references:
        axis.vlines(
            [x for _, x in references],
            [y - 0.35 for y, _ in references],
            [y + 0.35 for y, _ in references],
            color=_REFERENCE_COLOUR,
            linewidth=1.5,
            label=label,
        )
    if reference_line is not None:
        axis.axvline(
            reference_line,
            color=_REFERENCE_COLOUR,
            linestyle="--",
            linewidth=1,
            label=None if references else label,
        )
    return bool(references) or reference_line is not None


def _draw_estimates(
    axis: Axes, positions: Sequence[int], rows: Sequence[ForestRow], ids: dict[str, str]
) -> None:
    """The estimates as dots, grouped under `ids`: all alike, or filled where significant."""
    for key, wanted, face in (
        ("estimates", None, _COLOUR),
        ("significant", True, _COLOUR),
        ("not_significant", False, "white"),
    ):
        points = [
            (row.estimate, y)
            for y, row in zip(positions, rows, strict=True)
            if row.significant is wanted and not is_missing(row.estimate)
        ]
        if points:
            (line,) = axis.plot(
                [x for x, _ in points],
                [y for _, y in points],
                linestyle="none",
                marker="o",
                markersize=7,
                markerfacecolor=face,
                markeredgecolor=_COLOUR,
            )
            line.set_gid(ids[key])


def _label_axes(
    axis: Axes,
    positions: Sequence[int],
    rows: Sequence[ForestRow],
    *,
    xlabel: str,
    log_scale: bool,
    tick_format: Callable[[float], str] | None,
) -> None:
    """Row labels on the vertical axis, the measure and its scale on the horizontal one."""
    axis.set_yticks(positions, [_plain_label(row.label) for row in rows])
    axis.set_ylim(0.4, len(rows) + 0.6)
    axis.grid(axis="y", visible=False)
    axis.set_xlabel(xlabel)
    if log_scale:
        axis.set_xscale("log")
        # log axes label ticks in mathtext, which the style turns off (tags may hold "$")
        axis.xaxis.set_minor_formatter(NullFormatter())
    if tick_format is not None:
        axis.xaxis.set_major_formatter(lambda value, _: tick_format(value))


def _plain_label(label: str) -> str:
    """A label as one line of plain text: never mathtext (a title with two `$` is no formula)."""
    return " ".join(label.split()).replace("$", r"\$")
