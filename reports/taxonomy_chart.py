"""Draw Fig. 3, the RQ3 taxonomy, as an icicle: category → sub-category → code, sized by count.

The paper draws its taxonomy as a tree of 3 categories and 42 codes with each node's share; an
icicle keeps that hierarchy and makes the shares visible as heights, so a reader sees at once
where most questions fall. The numbers come from `marts.rpt_taxonomy_distribution` as rolled up
by the report; nothing is computed here but positions. Drawn with matplotlib like the other
figures (`charts`), so the same marts give byte-identical SVG.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt  # noqa: E402  (the backend must be chosen first)

from .charts import STYLE, to_svg  # noqa: E402  (one SVG style for every figure of the report)

# One hue per category in the paper's order; sub-categories and codes are lighter tints of it.
_CATEGORY_COLOURS = ("#2c6fbb", "#c0392b", "#1b9e77", "#7570b3", "#e6ab02")
_COLUMNS = ((0.0, 1.15), (1.15, 2.45), (2.45, 4.35))
"""x extent of the category, sub-category and code columns, in axis units."""
_MIN_LABEL_SHARE = {0: 0.04, 1: 0.022, 2: 0.0135}
"""Smallest height (share of the counted questions) a node needs for its label to fit."""


def _tint(colour: str, amount: float) -> tuple[float, float, float]:
    """`colour` mixed with white: 0 keeps it, 1 is white."""
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return tuple(channel + (1 - channel) * amount for channel in (red, green, blue))  # type: ignore[return-value]


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _label(level: int, node: dict[str, Any]) -> str:
    """A node's text: its name, count and share, and the paper's share where published."""
    name = textwrap.fill(node["name"], 30) if level == 1 else node["name"]
    numbers = f"{node['n']:,} · {_percent(node['share'])}"
    if node.get("paper_share") is not None:
        # the category column is narrow: the paper's share goes on a line of its own there
        numbers += ("\n" if level == 0 else " ") + f"(paper {_percent(node['paper_share'])})"
    return f"{name}  {numbers}" if level == 2 else f"{name}\n{numbers}"


def icicle(taxonomy: Sequence[dict[str, Any]], salt: str) -> str:
    """Fig. 3 as inline SVG from the nested taxonomy (categories > `subs` > `codes`).

    Args:
        taxonomy: per category `name`, `n`, `share`, `paper_share` and `subs`; per sub-category the
            same and `codes`; per code `code`, `n`, `share` (shares of the non-false-positive
            annotated questions, as fractions).
        salt: The figure's id in the page (`<salt>-caption` names its caption): one per topic.
    """
    total = sum(category["n"] or 0 for category in taxonomy) or 1
    with matplotlib.rc_context({**STYLE, "axes.grid": False}):
        fig, axis = plt.subplots(figsize=(8.6, 10.0))
        category_top = 0.0
        for index, category in enumerate(taxonomy):
            colour = _CATEGORY_COLOURS[index % len(_CATEGORY_COLOURS)]
            _node(axis, 0, category, category_top, total, colour, 0.0)
            sub_top = category_top
            for sub in category["subs"]:
                _node(axis, 1, sub, sub_top, total, colour, 0.35)
                code_top = sub_top
                for code in sub["codes"]:
                    leaf = {**code, "name": code["code"], "paper_share": None}
                    _node(axis, 2, leaf, code_top, total, colour, 0.6)
                    code_top += (code["n"] or 0) / total
                sub_top += (sub["n"] or 0) / total
            category_top += (category["n"] or 0) / total
        axis.set_xlim(0, _COLUMNS[-1][1])
        axis.set_ylim(max(category_top, 1e-9), 0)
        axis.set_xticks(
            [(low + high) / 2 for low, high in _COLUMNS], ["category", "sub-category", "code"]
        )
        axis.xaxis.tick_top()
        axis.set_yticks([])
        for side in ("left", "bottom", "top", "right"):
            axis.spines[side].set_visible(False)
        return to_svg(fig, salt)


def _node(
    axis: Any, level: int, node: dict[str, Any], top: float, total: int, colour: str, tint: float
) -> None:
    """Draw one node as a rectangle of height n / total from `top`, labelled when it fits."""
    height = (node["n"] or 0) / total
    if height <= 0:
        return
    low, high = _COLUMNS[level]
    axis.bar(
        low,
        height,
        width=high - low,
        bottom=top,
        align="edge",
        color=_tint(colour, tint),
        edgecolor="white",
        linewidth=0.8,
    )
    if height >= _MIN_LABEL_SHARE[level]:
        axis.text(
            low + 0.04,
            top + height / 2,
            _label(level, node),
            va="center",
            ha="left",
            fontsize=7.5 if level == 2 else 8.5,
            color="white" if level == 0 else "#1d1d1d",
            wrap=False,
            clip_on=True,
        )
