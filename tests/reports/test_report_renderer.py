"""The report renders every section from the fixture warehouse, safely and reproducibly."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from html import unescape
from pathlib import Path

import duckdb
import pytest

from reports.marts_reader import ReportDataError, StaleBuildError
from reports.renderer import render_report
from tests.reports.conftest import XSS_TITLE

_AT = datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC)


def _render(db: Path, out: Path, **kwargs) -> tuple[str, str]:
    result = render_report(db, out, generated_at=_AT, **kwargs)
    return result.html_path.read_text(encoding="utf-8"), result.md_path.read_text(encoding="utf-8")


def test_every_section_is_rendered_with_the_stored_figures(fixture_db: Path, tmp_path: Path):
    html, md = _render(fixture_db, tmp_path / "site")
    for text in (unescape(html), md):
        assert "RQ1: popularity of “ptm”" in text
        assert "RQ2: difficulty of “ptm” questions" in text
        assert "RQ3: taxonomy of challenges" in text
        assert "Table I." in text and "Table II." in text
        assert "Fig. 1a." in text and "Fig. 1b." in text
        assert "Fig. 2a." in text and "Fig. 2b." in text
        assert "χ² = 628.83, df = 1, p < 1e-100; φ = 0.099; 95% CI [0.091, 0.107]" in text
        assert "difference = +16.1 pp; 95% CI [+14.9 pp, +17.3 pp] (Newcombe)" in text
        assert "Cliff's δ = 0.410 (medium); 95% CI [0.370, 0.450]" in text
        assert "p ≤ 5.0e-4" in text  # a bootstrap p-value at its floor 1/B is a bound
        assert "log-rank χ² = 410.20, df = 1, p = 3.0e-91" in text
        assert "Holm-adjusted p = 2.0e-47" in text
        assert "2018-01-01 to 2023-06-15" in text
        assert "Generated at 2024-02-03 04:05:06 UTC" in text
        assert "false-positive rate: 5.81%" in text
    # topic-vs-baseline table with the Wilson intervals from analysis.metric_estimates
    assert re.search(r"73\.9%</td><td>\[72\.8%, 75\.0%\]</td>", html)
    assert "| 73.9% | [72.8%, 75.0%] | 57.8% | [55.6%, 59.9%] | wilson |" in md
    assert "| 2,563 | 43.5% |" in md  # Table I
    assert "| 2022 | 2,050 | 365 | 5.62 | 2,050 | 1,300,000 | 0.158% |" in md  # Fig. 1a numbers
    assert "| p50 | 850 | 55 |" in md  # Fig. 2a numbers
    assert "| 1 day | 96.5% | 61.9% |" in md  # Fig. 2b: 1 - P(accepted within 1 day), stored
    assert "| alice | bob | 301 | 0.83 | [0.78, 0.88] | 0.024 | 86.0% |" in md
    assert "Environment: 45 (60.00%); paper: 11.36%" in md
    # per topic Fig. 1a, 1b, 2a, 2b and Table II's forest plot; four in the index; Fig. 3; the
    # themes' trend and scatter of ptm (concurrency has no themes)
    assert html.count("<figure>") == 17 and html.count("<figcaption") == 17
    assert html.count("<svg ") == 17
    assert '<tr class="sub"><td>Model Training</td><td class="num">30</td>' in html
    assert (
        "| big_data | Bagherzadeh and Khatchadourian 2019 [30] | 60.5% | not built | 198 |"
        " not built | – |"
    ) in md


def test_titles_and_tags_from_the_internet_render_as_text(
    fixture_db: Path, tmp_path: Path, sql_runner
):
    # rank the hostile tag first so it also reaches the chart legend (SVG) and Fig. 1b's table
    sql_runner(fixture_db, "update marts.rpt_tag_frequency set rank = 0 where tag like '<%'")
    html, md = _render(fixture_db, tmp_path / "site")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert XSS_TITLE not in md
    assert "&lt;script>alert(1)&lt;/script>" in md


def test_html_is_self_contained(fixture_db: Path, tmp_path: Path):
    html, _ = _render(fixture_db, tmp_path / "site")
    references = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', html)
    assert all(ref.startswith(("#", "data:")) for ref in references), references
    assert "<link" not in html and "@import" not in html
    assert all(target.startswith("#") for target in re.findall(r"url\(([^)]*)\)", html))
    assert "<metadata" not in html and "<?xml" not in html and "<!DOCTYPE svg" not in html


def test_same_warehouse_gives_identical_files_but_the_generated_at_line(
    fixture_db: Path, tmp_path: Path
):
    first = render_report(fixture_db, tmp_path / "a", generated_at=_AT)
    second = render_report(
        fixture_db, tmp_path / "b", generated_at=datetime(2030, 1, 1, tzinfo=UTC)
    )
    for one, two in ((first.html_path, second.html_path), (first.md_path, second.md_path)):
        lines_one = one.read_text(encoding="utf-8").splitlines()
        lines_two = two.read_text(encoding="utf-8").splitlines()
        assert len(lines_one) == len(lines_two)
        differing = [(a, b) for a, b in zip(lines_one, lines_two, strict=True) if a != b]
        assert len(differing) == 1 and "Generated at" in differing[0][0]


def test_warehouse_is_opened_read_only_and_closed(fixture_db: Path, tmp_path: Path):
    before = fixture_db.read_bytes()
    render_report(fixture_db, tmp_path / "site", generated_at=_AT)
    assert fixture_db.read_bytes() == before
    with duckdb.connect(str(fixture_db)) as con:  # a read-write open fails if ours were still open
        assert con.execute("select count(*) from marts.rpt_difficulty").fetchone() == (4,)


@pytest.mark.parametrize(
    ("drop", "message"),
    [
        ("drop table marts.rpt_difficulty", "marts.rpt_difficulty missing: run `ptmwh build`"),
        ("drop table analysis.stat_tests", "analysis.stat_tests missing: run `ptmwh analyze`"),
    ],
)
def test_a_missing_table_gives_one_clear_error(
    fixture_db: Path, tmp_path: Path, sql_runner, drop: str, message: str
):
    sql_runner(fixture_db, drop)
    with pytest.raises(ReportDataError) as caught:
        render_report(fixture_db, tmp_path / "site")
    assert str(caught.value) == message
    assert not (tmp_path / "site" / "index.html").exists()


def test_a_missing_warehouse_is_not_created(tmp_path: Path):
    missing = tmp_path / "nowhere.duckdb"
    with pytest.raises(ReportDataError, match="not found: run `ptmwh run`"):
        render_report(missing, tmp_path / "site")
    assert not missing.exists()


def test_a_failed_build_is_refused_unless_stale_is_allowed(
    fixture_db: Path, tmp_path: Path, sql_runner
):
    sql_runner(
        fixture_db,
        "insert into ops.build_runs values ('inv-2', '2024-01-02 00:00', '2024-01-02 00:01', "
        "'error', 80, 1, 'model.ptm.rpt_difficulty', '1.11.16', 'build')",
    )
    with pytest.raises(
        StaleBuildError, match=r"failed \(model\.ptm\.rpt_difficulty\).*--allow-stale"
    ):
        render_report(fixture_db, tmp_path / "site")
    result = render_report(fixture_db, tmp_path / "site", allow_stale=True, generated_at=_AT)
    assert result.is_stale
    assert "Stale marts." in result.html_path.read_text(encoding="utf-8")
    assert "stale marts" in result.summary_line()


def test_synthetic_banner_only_when_data_is_synthetic(fixture_db: Path, tmp_path: Path, sql_runner):
    html, md = _render(fixture_db, tmp_path / "a")
    assert 'class="banner synthetic"' in html and "**Synthetic data.**" in md
    sql_runner(
        fixture_db,
        "update marts.fct_questions set is_synthetic = false; "
        "update marts.fct_topic_question_groups set is_synthetic = false; "
        "update marts.rpt_difficulty set is_synthetic = false",
    )
    result = render_report(fixture_db, tmp_path / "b", generated_at=_AT)
    assert "Synthetic data." not in result.html_path.read_text(encoding="utf-8")
    assert result.summary_line() == (
        f"report for concurrency, ptm written to {result.html_path} and {result.md_path}"
    )


def test_rq3_shows_the_taxonomy_figure_false_positives_and_kappa_with_its_interval(
    fixture_db: Path, tmp_path: Path
):
    html, md = _render(fixture_db, tmp_path / "site")
    rq3 = html[html.index('<section id="rq3">') :]
    figure = rq3[rq3.index("<figure>") : rq3.index("</figure>")]
    svg = figure[figure.index("<svg ") : figure.index("</svg>")]
    for category in ("Model Lifecycle Management", "Coding-related Issues"):
        assert category in svg
    assert "paper 56.8%" in svg  # the published share beside the computed one
    assert 'aria-labelledby="fig3-1-caption"' in svg and 'id="fig3-1-caption"' in figure
    assert '<td class="num">56.79%</td>' in figure  # the table beside the chart
    for text in (unescape(rq3), md):
        assert "430 annotated questions (129 in the pilot, coded together; 301 labelled" in text
        assert "false-positive rate: 5.81% (25 questions) (paper: 5.81%, 25 of 430)" in text
        assert "paper: Cohen's κ = 0.83" in text
    assert "<td>[0.78, 0.88]</td>" in rq3
    assert "Synthetic annotations" not in html


def test_synthetic_annotations_raise_the_banner(fixture_db: Path, tmp_path: Path, sql_runner):
    sql_runner(
        fixture_db,
        "update marts.fct_questions set is_synthetic = false; "
        "update marts.fct_topic_question_groups set is_synthetic = false; "
        "update marts.rpt_difficulty set is_synthetic = false; "
        "update marts.rpt_taxonomy_distribution set is_synthetic = true",
    )
    result = render_report(fixture_db, tmp_path / "site", generated_at=_AT)
    html = result.html_path.read_text(encoding="utf-8")
    assert result.is_synthetic
    assert "Synthetic data." in html and "Synthetic annotations." in html
    assert "Synthetic annotations." in result.md_path.read_text(encoding="utf-8")


def test_without_annotations_rq3_explains_how_to_sample(
    fixture_db: Path, tmp_path: Path, sql_runner
):
    sql_runner(
        fixture_db,
        "delete from marts.rpt_taxonomy_distribution; delete from marts.rpt_annotation_agreement",
    )
    html, md = _render(fixture_db, tmp_path / "a")
    assert "No annotations yet for <code>concurrency</code>, <code>ptm</code>." in html
    assert "<code>ptmwh sample --topic NAME</code>" in html
    assert "run `ptmwh sample --topic NAME`" in md and 'class="taxonomy"' not in html
    sql_runner(
        fixture_db,
        "drop table marts.rpt_taxonomy_distribution; drop table marts.rpt_annotation_agreement; "
        "create table analysis.annotation_samples as select 's1' as sample_id, 1 as question_id, "
        "'ptm' as topic",
    )
    html, _ = _render(fixture_db, tmp_path / "b")
    assert (
        "No annotations yet for <code>concurrency</code>, "
        "<code>ptm</code> (1 questions have been sampled)."
    ) in html


def test_rq3_shows_a_block_per_labelled_topic_only(fixture_db: Path, tmp_path: Path, sql_runner):
    html, md = _render(fixture_db, tmp_path / "one")
    rq3 = html[html.index('<section id="rq3">') :]
    assert rq3.count('class="rq3-topic"') == 1 and "<h3>Topic <code>ptm</code></h3>" in rq3
    assert "No annotations yet for <code>concurrency</code>." in rq3
    assert "### Topic `ptm`" in md and "### Topic `concurrency`" not in md
    sql_runner(
        fixture_db,
        "insert into marts.rpt_taxonomy_distribution (topic, taxonomy_level, category, "
        "n_questions, share, n_annotated_questions, n_false_positive, false_positive_rate, "
        "is_synthetic) values ('concurrency', 'category', 'Others', 7, 1.0, 8, 1, 0.125, true); "
        "insert into marts.rpt_annotation_agreement (topic, annotator_a, annotator_b, "
        "n_questions, cohens_kappa, is_synthetic) values ('concurrency', 'carol', 'dan', 8, "
        "0.5, true)",
    )

    html, md = _render(fixture_db, tmp_path / "two")

    rq3 = html[html.index('<section id="rq3">') :]
    concurrency = rq3[rq3.index('<section id="rq3-1"') : rq3.index('<section id="rq3-2"')]
    ptm = rq3[rq3.index('<section id="rq3-2"') :]
    assert "<code>concurrency</code>" in concurrency and "<td>carol</td>" in concurrency
    assert "8 annotated questions" in concurrency and "12.50% (1 questions)" in concurrency
    assert "<td>alice</td>" not in concurrency and "430 annotated" not in concurrency
    assert "<td>alice</td>" in ptm and "<td>carol</td>" not in ptm
    assert 'id="fig3-1-caption"' in concurrency and 'id="fig3-2-caption"' in ptm
    assert "No annotations yet" not in html
    assert "Synthetic annotations." in html and md.index("### Topic `concurrency`") < md.index(
        "### Topic `ptm`"
    )


def test_without_baseline_totals_fig_1a_has_no_share(fixture_db: Path, tmp_path: Path, sql_runner):
    sql_runner(
        fixture_db,
        "update marts.rpt_popularity_yearly set n_all_questions = null, topic_share = null",
    )
    html, md = _render(fixture_db, tmp_path / "site")
    assert "| 2022 | 2,050 | 365 | 5.62 | 2,050 |\n" in md
    assert "share of all questions posted" not in html


def test_renders_fast_on_a_large_fact_table(fixture_db: Path, tmp_path: Path, sql_runner):
    sql_runner(
        fixture_db,
        "insert into marts.fct_questions (site, question_id, created_at, creation_year, "
        "tags, title, link, score, view_count, answer_count, has_accepted_answer, "
        "response_minutes, is_high_quality, collected_at, data_source, is_synthetic) "
        "select 'stackoverflow.com', range + 10, timestamp '2020-01-01' + "
        "to_minutes(range), 2020, ['python'], 't', 'l', 0, 1, 0, false, null, "
        "false, timestamp '2023-06-30', 'dump', false from range(500000); "
        "insert into marts.fct_topic_question_groups select 'ptm', 'stackoverflow.com', "
        "range + 10, 'baseline', 'full_population', timestamp '2020-01-01' + "
        "to_minutes(range), false, null, 0, 1, timestamp '2023-06-30', 'dump', false "
        "from range(500000)",
    )
    started = time.perf_counter()
    _, md = _render(fixture_db, tmp_path / "site")
    assert time.perf_counter() - started < 10
    assert "| ptm | baseline | dump | no | 500,000 |" in md


def test_the_load_runs_table_names_each_runs_site(fixture_db: Path, tmp_path: Path):
    html, md = _render(fixture_db, tmp_path / "site")
    row = "| load-1 | load | 2023-12-31 23:00 | completed | stackoverflow | 2018-01-01 to "
    assert row in md
    assert "<td>completed</td><td>stackoverflow</td>" in html


_CELL_BORDER = re.compile(r"(?<!\\)\|")


def test_titles_with_line_breaks_quotes_pipes_and_dollars_keep_every_table_whole(
    fixture_db: Path, tmp_path: Path, sql_runner
):
    title = 'PTM "models" | $x$ and $y$\n`code` <b>\r\nnext'
    sql_runner(fixture_db, f"update seeds.topics set title = '{title}' where topic = 'ptm'")
    html, md = _render(fixture_db, tmp_path / "site")
    tables: list[list[str]] = []
    previous = ""
    for line in md.splitlines():
        if line.startswith("|"):
            if not previous.startswith("|"):
                tables.append([])
            tables[-1].append(line)
        previous = line
    assert tables
    for table in tables:
        cells = {len(_CELL_BORDER.findall(line)) for line in table}
        assert len(cells) == 1, table
    assert 'PTM "models" \\| $x$ and $y$ \\`code\\` &lt;b> next (`ptm`)' in md
    assert "PTM &#34;models&#34; | $x$ and $y$\n`code` &lt;b&gt;" in html


def test_a_load_newer_than_the_last_full_build_is_refused_unless_stale_is_allowed(
    fixture_db: Path, tmp_path: Path, sql_runner, monkeypatch, capsys
):
    # the fixture's one successful build started 2024-01-01 00:00 UTC
    sql_runner(
        fixture_db,
        "create schema raw_stackexchange; "
        "create table raw_stackexchange.load_runs (run_id varchar, command varchar, "
        "status varchar, site varchar, finished_at timestamptz); "
        "insert into raw_stackexchange.load_runs values "
        "('before-build', 'load', 'completed', 'stackoverflow.com', '2023-12-31 23:10:00+00'), "
        "('after-build', 'load-dump', 'completed', 'beer.stackexchange.com', "
        "'2024-01-02 10:30:00+00'); "
        # a selective build (ptmwh snowball's) rebuilds only part of the marts: it does not count
        "insert into ops.build_runs by name select 'inv-2' as invocation_id, "
        "timestamp '2024-01-03 00:00' as started_at, 'success' as status, "
        "'build --select +path:models/marts/selection' as command",
    )
    out = tmp_path / "site"
    expected = "load-dump of beer.stackexchange.com (completed, finished 2024-01-02 10:30 UTC"
    with pytest.raises(StaleBuildError) as raised:
        render_report(fixture_db, out)
    message = str(raised.value)
    assert "\n" not in message and "do not include 1 load(s)" in message
    assert expected in message and "before-b" not in message
    assert "run `ptmwh build` first, or pass --allow-stale" in message
    assert not out.exists()
    monkeypatch.setenv("PTMWH_DB", str(fixture_db))
    from ptmwh import cli

    assert cli.main(["report", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("ptmwh report: error: the marts do not")
    assert not out.exists()
    html, md = _render(fixture_db, out, allow_stale=True)
    assert expected in unescape(html) and expected in md
    assert "The last dbt build failed" not in md
    sql_runner(
        fixture_db,
        "insert into ops.build_runs by name select 'inv-3' as invocation_id, "
        "timestamp '2024-01-04 00:00' as started_at, 'success' as status, 'build' as command",
    )
    html, md = _render(fixture_db, tmp_path / "fresh")
    assert "Stale marts" not in html and "Stale marts" not in md
