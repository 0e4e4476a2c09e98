"""The themes section: Table IV per theme, the trend and scatter figures, stale labels, analysis."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html import unescape
from pathlib import Path

import duckdb

from reports.renderer import render_report
from reports.themes import THEME_MARTS
from tests.fakes.theme_marts import FIT, ODD_LABEL, STALE_FIT

_AT = datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC)
_NUMBER = r"-?[\d,]+(?:\.\d+)?"
_CELL = re.compile(rf"^({_NUMBER})%?(?: \[({_NUMBER})%?, ({_NUMBER})%?\])?$")


def _render(db: Path, out: Path) -> tuple[str, str]:
    result = render_report(db, out, generated_at=_AT)
    return result.html_path.read_text(encoding="utf-8"), result.md_path.read_text(encoding="utf-8")


def _md_section(md: str, topic: str) -> str:
    start = md.index(f"## Themes of “{topic}” questions")
    return md[start : md.index("\n## ", start + 1)]


def _cells(line: str) -> list[str]:
    """A Markdown table row's cells, split on the pipes that are not escaped."""
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def _figures(text: str) -> tuple[float, ...]:
    """`1,286.4 [900.2, 1,672.6]` or `80.0% [37.6%, 96.4%]` as numbers (estimate, low, high)."""
    match = _CELL.match(text)
    assert match, text
    return tuple(float(group.replace(",", "")) for group in match.groups() if group is not None)


def _mart_rows(db: Path) -> dict[int, dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        cursor = con.execute(
            "select * from marts.rpt_theme_popularity_difficulty where topic = 'ptm'"
        )
        names = [column[0] for column in cursor.description]
        return {row[1]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def _expected(row: dict, name: str, scale: float, digits: int) -> tuple[float, ...]:
    values = [row[name], row[f"{name}_ci_low"], row[f"{name}_ci_high"]]
    return tuple(round(value * scale, digits) for value in values if value is not None)


def test_table_iv_shows_every_figure_of_the_mart(fixture_db: Path, tmp_path: Path):
    mart = _mart_rows(fixture_db)
    _, md = _render(fixture_db, tmp_path / "site")
    lines = [line for line in _md_section(md, "ptm").splitlines() if line.startswith("| ")]
    header = _cells(lines[0])
    assert header == [
        "theme", "label", "questions (share)", "mean views", "mean score", "no accepted answer",
        "no answer", "median days to accepted answer",
    ]  # fmt: skip
    table = [_cells(line) for line in lines[1:] if _cells(line)[0].isdigit()]
    assert [int(cells[0]) for cells in table] == sorted(
        mart, key=lambda theme: (-mart[theme]["n_questions"], theme)
    )
    for cells in table:
        row = mart[int(cells[0])]
        assert cells[1] == " ".join(row["theme_label"].split()).replace("|", "\\|")
        n, share = cells[2].split(" ", 1)
        assert int(n.replace(",", "")) == row["n_questions"]
        assert _figures(share.removeprefix("(").removesuffix(")")) == _expected(
            row, "question_share", 100, 1
        )
        assert _figures(cells[3]) == _expected(row, "mean_view_count", 1, 1)
        assert _figures(cells[4]) == _expected(row, "mean_score", 1, 2)
        assert _figures(cells[5]) == _expected(row, "no_accepted_answer_rate", 100, 1)
        assert _figures(cells[6]) == _expected(row, "unanswered_rate", 100, 1)
        assert _figures(cells[7]) == _expected(row, "median_response_minutes", 1 / 1440, 1)


def test_a_label_with_a_pipe_quotes_and_a_newline_stays_one_cell(
    fixture_db: Path, tmp_path: Path, sql_runner
):
    hostile = "<script>alert(1)</script>"
    sql_runner(
        fixture_db,
        f"update marts.rpt_theme_popularity_difficulty set theme_label = '{hostile}' "
        "where theme = 3",
    )
    html, md = _render(fixture_db, tmp_path / "site")
    section = _md_section(md, "ptm")
    table = [line for line in section.splitlines() if line.startswith("| ")]
    assert len(table) == 2 * (1 + 3)  # Table IV and the trend table: a header and 3 themes
    widths = {len(_cells(line)) for line in table[:4]}
    assert widths == {8}
    assert '| 1 | Tokenizer \\| "padding" issues | 5 (' in section
    assert "\\| why?" not in section  # example titles belong to `ptmwh themes`, not the report
    assert hostile not in md and "&lt;script>alert(1)&lt;/script>" in section
    themes_html = html[html.index('<section id="themes-2">') :]
    assert "<script" not in html
    assert "<td>Tokenizer | &#34;padding&#34; issues</td>" in themes_html
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>" in themes_html
    assert ODD_LABEL not in html  # the newline is folded to a space


def test_the_number_of_themes_coherence_and_stale_labels_are_shown(
    fixture_db: Path, tmp_path: Path
):
    html, md = _render(fixture_db, tmp_path / "site")
    section = _md_section(md, "ptm")
    text = re.sub(r"<[^>]+>", "", unescape(html[html.index('<section id="themes-2">') :]))
    for shown in (section.replace("**", "").replace("`", ""), text):
        assert "3 themes chosen by NPMI coherence (NPMI 0.153, C_v 0.610)" in shown
        assert "among 3 numbers of themes tried: 2: 0.081, 3: 0.153, 4: 0.112 (NPMI)" in shown
        assert f"name no theme of the current fit ({FIT})" not in shown  # one row: "names"
        assert f"names no theme of the current fit ({FIT})" in shown
    assert f"- theme 2: “Old \\| training” (written for fit `{STALE_FIT}`)" in section
    assert f"theme 2: “Old | training” (written for fit {STALE_FIT})" in text
    assert section.index("| 3 | api, openai, key |") < section.index("Stale labels:")


def test_trend_and_scatter_figures_draw_every_theme(fixture_db: Path, tmp_path: Path):
    html, md = _render(fixture_db, tmp_path / "site")
    svgs = {
        ET.fromstring(match.group(0)).get("aria-labelledby"): match.group(0)
        for match in re.finditer(r"<svg .*?</svg>", html, re.DOTALL)
    }
    labels = ['Tokenizer | "padding" issues', "loss, training, epoch", "api, openai, key"]
    for salt in ("theme-trends-2-caption", "theme-scatter-2-caption"):
        for label in labels:
            assert label in svgs[salt], (salt, label)
    assert "theme-trends-1-caption" not in svgs  # concurrency has no themes
    # the trend table beside the chart: relative impact per year, as stored
    assert "| api, openai, key | 23.3% | 37.5% |" in md


def test_a_topic_without_themes_says_how_to_add_them(fixture_db: Path, tmp_path: Path):
    html, md = _render(fixture_db, tmp_path / "site")
    expected = (
        "add a row for `concurrency` to `dbt_project/seeds/theme_models.csv` and run `ptmwh build`"
    )
    assert expected in _md_section(md, "concurrency")
    assert "<code>dbt_project/seeds/theme_models.csv</code>" in html


def test_the_report_renders_without_theme_marts(fixture_db: Path, tmp_path: Path, sql_runner):
    sql_runner(fixture_db, "; ".join(f"drop table marts.{table}" for table in THEME_MARTS))
    html, md = _render(fixture_db, tmp_path / "site")
    for topic in ("concurrency", "ptm"):
        assert "themes are built on DuckDB only" in _md_section(md, topic)
    assert html.count("themes are built on DuckDB only") == 2
    assert "Table IV." not in html and "theme-trends" not in html


def test_rank_correlations_and_taxonomy_agreement_appear_when_the_analysis_wrote_them(
    fixture_db: Path, tmp_path: Path, sql_runner
):
    html, md = _render(fixture_db, tmp_path / "a")
    assert "Kendall" not in md and "mutual information" not in md
    sql_runner(
        fixture_db,
        "create table analysis.theme_rank_correlations (topic varchar, popularity_metric "
        "varchar, difficulty_metric varchar, n_themes integer, kendall_tau double, p_value "
        "double, ci_low double, ci_high double); "
        "insert into analysis.theme_rank_correlations values "
        "('ptm', 'mean_view_count', 'no_accepted_answer_rate', 3, -0.333, 0.6015, -1, 0.8), "
        "('ptm', 'mean_score', 'median_response_minutes', 3, 1.0, 0.3333, null, null); "
        "create table analysis.theme_taxonomy_agreement (topic varchar, n_questions integer, "
        "n_themes integer, n_codes integer, normalized_mutual_information double); "
        "insert into analysis.theme_taxonomy_agreement values ('ptm', 430, 3, 20, 0.2468)",
    )
    html, md = _render(fixture_db, tmp_path / "b")
    section = _md_section(md, "ptm")
    assert (
        "Kendall's τ between the 3 themes' ranks by mean views and by questions without an "
        "accepted answer: τ = -0.333, 95% CI [-1.000, 0.800], p = 0.602"
    ) in section
    assert (
        "ranks by mean score and by median minutes to the accepted answer: τ = 1.000, p = 0.333"
    ) in section
    assert (
        "normalised mutual information 0.247 between the dominant theme and the taxonomy code "
        "of 430 annotated questions (3 themes, 20 codes;"
    ) in section
    assert "Kendall" not in _md_section(md, "concurrency")
    assert unescape(html).count("Kendall's τ between") == 2
