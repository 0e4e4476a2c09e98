"""The report over many topics: the index, forest plots, Table II's forest plot, partial years."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html import unescape
from pathlib import Path

from reports.forest import marker_group_ids
from reports.renderer import render_report
from tests.reports.conftest import XSS_TITLE

_AT = datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC)
_INDEX_METRICS = (
    "no-accepted-answer-rate",
    "median-response-minutes",
    "answers-per-view",
    "answers-per-view-ratio",
)


def _render(db: Path, out: Path) -> tuple[str, str]:
    result = render_report(db, out, generated_at=_AT)
    return result.html_path.read_text(encoding="utf-8"), result.md_path.read_text(encoding="utf-8")


def _svgs(html: str) -> dict[str, ET.Element]:
    """Every inline SVG of the page, parsed, by its figure's id."""
    svgs = {}
    for match in re.finditer(r"<svg .*?</svg>", html, re.DOTALL):
        root = ET.fromstring(match.group(0))
        svgs[root.get("aria-labelledby").removesuffix("-caption")] = root
    return svgs


def _markers(svg: ET.Element, group_id: str) -> int:
    """Markers (`<use>` elements) inside the group of that id; 0 when the group is absent."""
    for element in svg.iter():
        if element.get("id") == group_id:
            return sum(1 for child in element.iter() if child.tag.endswith("use"))
    return 0


def test_index_comes_first_with_every_topic_and_its_intervals(fixture_db: Path, tmp_path: Path):
    html, md = _render(fixture_db, tmp_path / "site")
    assert html.index('<section id="index">') < html.index('<section id="data">')
    assert md.index("## Topics at a glance") < md.index("## Data sources and methods")
    rows = {
        "Pre-trained models (`ptm`) | stackoverflow.com | 2018-01-01 to 2023-06-15 | 5,896": (
            "73.9% [72.8%, 75.0%]",
            "851 [700, 1,000]",
            "0.06 [0.06, 0.07]",
            "0.50 [0.42, 0.58]",
            "rate: exact_count · response times: random_sample · PD: random_sample",
        ),
        "Concurrency (`concurrency`) | stackoverflow.com | 2022-01-01 to 2023-06-15 | 1,200": (
            "43.8% [41.0%, 46.6%]",
            "42 [38, 47]",
            "0.0017 [0.0015, 0.0019]",
            "1.42 [1.25, 1.61]",
            "rate: random_sample · response times: random_sample · PD: random_sample",
        ),
    }
    for start, cells in rows.items():
        [line] = [line for line in md.splitlines() if start in line]
        assert line.split(" | ")[4:9] == list(cells)
        assert line.endswith("| 2023-06-30 |")
    text = re.sub(r"<[^>]+>", "", unescape(html))
    for cells in rows.values():
        for cell in cells[:4]:
            assert cell in text


def test_index_compares_topics_on_popularity(fixture_db: Path, tmp_path: Path):
    """Each topic's popularity against its baseline, with intervals, in both formats; absent
    favourite counts read "not in the source", a group without figures "–"."""
    html, md = _render(fixture_db, tmp_path / "site")
    rows = {
        "Pre-trained models (`ptm`)": (
            "1,234.50 [1,100, 1,369]",
            "980 [900, 1,060]",
            "1.25 [-0.50, 3.00]",
            "2.50 [2.25, 2.75]",
            "not in the source",
            "not in the source",
            "25.4% [24.3%, 26.5%]",
            "15.0% [13.5%, 16.6%]",
            "random_sample",
        ),
        "Concurrency (`concurrency`)": (
            "75.00 [70.00, 80.00]",
            "–",
            "3.00 [2.50, 3.50]",
            "–",
            "0.80 [0.60, 1.00]",
            "not in the source",
            "5.0% [3.9%, 6.4%]",
            "–",
            "no baseline",
        ),
    }
    popularity = md[md.index("| topic | mean views: topic |") :]
    assert "| mean score: topic | its baseline | mean favourites: topic |" in popularity
    for start, cells in rows.items():
        [line] = [line for line in popularity.splitlines()[:6] if f"{start} |" in line]
        assert line.split(" | ")[1:] == [*cells[:-1], f"{cells[-1]} |"]
    table = html[html.index('<table id="index-popularity">') :]
    table = re.sub(r"</?span[^>]*>", "", table[: table.index("</table>")])
    table = unescape(re.sub(r"(<[^>]+>)+", "|", table))
    for cells in rows.values():
        for cell in cells:
            assert f"|{cell}|" in table


def test_each_forest_plot_has_one_marker_per_topic(fixture_db: Path, tmp_path: Path):
    html, _ = _render(fixture_db, tmp_path / "site")
    svgs = _svgs(html)
    for metric in _INDEX_METRICS:
        salt = f"index-{metric}"
        assert _markers(svgs[salt], marker_group_ids(salt)["estimates"]) == 2, metric


def test_table_ii_forest_marks_holm_significance(fixture_db: Path, tmp_path: Path, sql_runner):
    html, md = _render(fixture_db, tmp_path / "a")
    svgs = _svgs(html)
    # topic 1 is concurrency (sorted): multithreading's Holm p 0.049, mutex's 0.051
    for salt, significant, not_significant in (("fig-tags-1", 1, 1), ("fig-tags-2", 1, 1)):
        ids = marker_group_ids(salt)
        assert _markers(svgs[salt], ids["significant"]) == significant
        assert _markers(svgs[salt], ids["not_significant"]) == not_significant
    assert "| multithreading | 900 | -13.4 pp | [-17.0 pp, -10.0 pp] | p = 0.049 | yes |" in md
    assert "| mutex | 300 | -15.8 pp | [-21.0 pp, -10.0 pp] | p = 0.051 | no |" in md
    assert '<details class="tag-tests">' in html
    assert "Holm-adjusted p = 0.051" in html.split('<details class="tag-tests">')[1]

    sql_runner(
        fixture_db,
        "update analysis.stat_tests set p_value_holm = 0.01 where tag = 'mutex'"
        " and test = 'chi_square'",
    )
    html, md = _render(fixture_db, tmp_path / "b")
    ids = marker_group_ids("fig-tags-1")
    assert _markers(_svgs(html)["fig-tags-1"], ids["significant"]) == 2
    assert _markers(_svgs(html)["fig-tags-1"], ids["not_significant"]) == 0
    assert "| mutex | 300 | -15.8 pp | [-21.0 pp, -10.0 pp] | p = 0.010 | yes |" in md


def test_the_partial_year_is_marked_with_its_rate(fixture_db: Path, tmp_path: Path, sql_runner):
    html, md = _render(fixture_db, tmp_path / "a")
    assert "| 2023* (partial: Jan 1–Jun 15) | 1,236 | 166 | 7.45 | 2,718 |" in md
    assert "2023 is a partial year (Jan 1–Jun 15, 166 days)" in md
    assert (
        '<tr class="partial"><td>2023* <span class="partial-note">(partial: Jan 1–Jun 15)' in html
    )
    svgs = _svgs(html)
    assert "2023*" in ET.tostring(svgs["fig1a-2"], encoding="unicode")
    assert "2023*" in ET.tostring(svgs["fig1b-2"], encoding="unicode")
    sql_runner(fixture_db, "update marts.rpt_popularity_yearly set is_partial_year = false")
    html, md = _render(fixture_db, tmp_path / "b")
    assert "2023*" not in md and "partial year" not in html


def test_the_censoring_time_is_stated(fixture_db: Path, tmp_path: Path):
    html, md = _render(fixture_db, tmp_path / "site")
    for text in (html, md):
        assert "censored at the time its data was collected (2023-06-30)" in text


def test_a_script_in_a_topic_title_renders_as_text(fixture_db: Path, tmp_path: Path):
    html, md = _render(fixture_db, tmp_path / "site")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Concurrency</a>" in html
    assert XSS_TITLE not in md
    assert "&lt;script>alert(1)&lt;/script> Concurrency (`concurrency`)" in md
