"""The whole job as `make demo` runs it: load -> build -> analyze -> report on the synthetic sample.

The marts are checked against plain-Python counts over the raw tables (not dbt's own output), and
the warehouse's failure modes are exercised on a copy: a failed build keeps the previous marts
readable and the report refuses stale marts unless told otherwise.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from ptmwh import cli

SECRET_KEY = "sekret-key-Zq9xW2"  # noqa: S105 - a fake key that must never be stored or printed
WINDOW_START = datetime(2018, 1, 1, tzinfo=UTC).timestamp()
WINDOW_END_EXCLUSIVE = datetime(2023, 6, 16, tzinfo=UTC).timestamp()

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Run `ptmwh run --synthetic-sample` once, with a key set, into a fresh warehouse."""
    root = tmp_path_factory.mktemp("demo")
    db = root / "warehouse.duckdb"
    site = root / "site"
    patch = pytest.MonkeyPatch()
    patch.setenv("PTMWH_DB", str(db))
    patch.setenv("SOURCES__STACKEXCHANGE__KEY", SECRET_KEY)
    capture = root / "output.txt"
    try:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli.main(["run", "--synthetic-sample", "--out", str(site)])
        capture.write_text(out.getvalue() + err.getvalue())
    finally:
        patch.undo()
    assert status == 0, capture.read_text()[-3000:]
    return {"db": db, "site": site, "output": capture.read_text(), "root": root}


def _query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def _raw_groups(db: Path) -> dict[str, list[tuple]]:
    """Questions of the window per group, from the raw tables and the paper's tag list only."""
    with duckdb.connect(str(db), read_only=True) as con:
        topic_tags = {
            row[0]
            for row in con.execute(
                "select tag from seeds.topic_tags where topic = 'ptm'"
            ).fetchall()
        }
        tags: dict[int, set[str]] = {}
        for question_id, tag in con.execute(
            "select question_id, tag from raw_stackexchange.question_tags"
        ).fetchall():
            tags.setdefault(question_id, set()).add(tag)
        questions = con.execute(
            "select question_id, creation_date, accepted_answer_id, answer_count, view_count "
            "from raw_stackexchange.questions"
        ).fetchall()
        answers = dict(
            con.execute("select answer_id, creation_date from raw_stackexchange.answers").fetchall()
        )
    groups: dict[str, list[tuple]] = {"topic": [], "baseline": []}
    for question_id, created, accepted_id, answer_count, view_count in questions:
        if not WINDOW_START <= created < WINDOW_END_EXCLUSIVE:
            continue
        group = "topic" if tags.get(question_id, set()) & topic_tags else "baseline"
        accepted_at = answers.get(accepted_id)
        minutes = None if accepted_at is None else (accepted_at - created) / 60
        groups[group].append((question_id, accepted_id, minutes, answer_count, view_count))
    return groups


def test_demo_prints_where_warehouse_and_report_are(demo):
    assert f"warehouse: {demo['db']}" in demo["output"]
    assert f"report: {demo['site'] / 'index.html'}" in demo["output"]
    for step in (
        "[load] completed",
        "[build] dbt build passed",
        "[annotate]",
        "[analyze]",
        "[report]",
    ):
        assert step in demo["output"]


def test_topic_marts_equal_plain_python_over_raw_rows(demo):
    groups = _raw_groups(demo["db"])
    topic = groups["topic"]
    minutes = [q[2] for q in topic if q[2] is not None]
    (row,) = _query(
        demo["db"],
        "select n_questions, no_accepted_answer_rate, median_response_minutes, answers_per_view "
        "from marts.rpt_difficulty where topic = 'ptm' and question_group = 'topic'",
    )
    n_no_accepted = sum(1 for q in topic if q[1] is None)
    answers_per_view = (sum(q[3] for q in topic) / len(topic)) / (
        sum(q[4] for q in topic) / len(topic)
    )
    assert row[0] == len(topic) == 5896
    assert row[1] == pytest.approx(n_no_accepted / len(topic))
    assert row[2] == pytest.approx(statistics.median(minutes), rel=1e-6)
    assert row[3] == pytest.approx(answers_per_view, rel=1e-9)


def test_demo_reproduces_the_papers_calibration(demo):
    rows = dict(
        (group, (rate, median, method))
        for group, rate, median, method in _query(
            demo["db"],
            "select question_group, no_accepted_answer_rate, median_response_minutes, "
            "no_accepted_answer_rate_method from marts.rpt_difficulty where topic = 'ptm'",
        )
    )
    assert rows["topic"][0] == pytest.approx(0.739, abs=0.005)
    assert rows["baseline"][0] == pytest.approx(0.578, abs=0.005)
    assert rows["baseline"][2] == "exact_count"
    assert rows["topic"][1] == pytest.approx(851, rel=0.1)
    assert rows["baseline"][1] == pytest.approx(55, rel=0.2)
    (p_value,) = _query(
        demo["db"],
        "select p_value from analysis.stat_tests where topic = 'ptm' and comparison = "
        "'topic_vs_baseline' and metric = 'no_accepted_answer_rate' and test = 'chi_square'",
    )[0]
    assert p_value < 1e-100


def test_demo_computes_the_literature_topics_beside_ptm(demo):
    """The §V comparison is computed with the same code as ptm, on the same data."""
    rows = {
        topic: (rate, median)
        for topic, rate, median in _query(
            demo["db"],
            "select topic, no_accepted_answer_rate, median_response_minutes"
            " from marts.rpt_difficulty where question_group = 'topic'",
        )
    }
    assert set(rows) == {"ptm", "bigdata", "concurrency", "mobile", "security", "quantum"}
    assert rows["bigdata"][0] == pytest.approx(0.605, abs=0.005)
    assert rows["concurrency"][0] == pytest.approx(0.438, abs=0.005)
    assert rows["mobile"][0] == pytest.approx(0.550, abs=0.005)
    assert rows["bigdata"][1] == pytest.approx(198, rel=0.05)
    assert rows["concurrency"][1] == pytest.approx(42, rel=0.05)
    assert rows["mobile"][1] == pytest.approx(55, rel=0.05)
    html = (demo["site"] / "index.html").read_text()
    titles = ("Pre-trained models", "Big data", "Concurrency", "Mobile development", "Security")
    for title in titles:
        assert title in html, title


def test_report_has_every_section_and_flags_synthetic_data(demo):
    html = (demo["site"] / "index.html").read_text()
    markdown = (demo["site"] / "report.md").read_text()
    for text in ("Synthetic data", "Table I", "RQ1", "RQ2", "RQ3", "Fig. 3.", "huggingface"):
        assert text in html and text in markdown, text
    assert "<svg" in html and "<script src" not in html


def test_demo_annotation_round_reproduces_rq3(demo):
    """The synthetic labels, imported and built like real ones, give the paper's §VI-B figures."""
    ((kappa, low, high, n_independent, agreement_synthetic),) = _query(
        demo["db"],
        "select cohens_kappa, kappa_ci_low, kappa_ci_high, n_questions, is_synthetic "
        "from marts.rpt_annotation_agreement",
    )
    assert kappa == pytest.approx(0.83, abs=0.03) and low < kappa < high
    ((n_annotated, n_pilot, n_ind, fp_rate, taxonomy_synthetic),) = _query(
        demo["db"],
        "select distinct n_annotated_questions, n_pilot_questions, n_independent_questions, "
        "false_positive_rate, is_synthetic from marts.rpt_taxonomy_distribution",
    )
    assert (n_pilot, n_ind) == (129, n_independent) and n_annotated == 129 + n_independent
    assert fp_rate == pytest.approx(0.0581, abs=0.01)
    assert agreement_synthetic and taxonomy_synthetic
    (n_sampled,) = _query(
        demo["db"], "select count(distinct question_id) from analysis.annotation_samples"
    )[0]
    assert n_sampled == n_annotated
    html = (demo["site"] / "index.html").read_text()
    assert "Synthetic annotations." in html and "Fig. 3." in html


def test_key_never_reaches_output_or_warehouse(demo):
    assert SECRET_KEY not in demo["output"]
    for path in demo["root"].rglob("*"):
        if path.is_file():
            assert SECRET_KEY.encode() not in path.read_bytes(), path


def test_failed_build_keeps_marts_and_report_refuses_stale(demo, tmp_path, monkeypatch, capsys):
    db = tmp_path / "copy.duckdb"
    shutil.copy(demo["db"], db)
    monkeypatch.setenv("PTMWH_DB", str(db))
    with duckdb.connect(str(db)) as con:
        # Every mart reads the questions: the build fails at staging and skips the rest.
        con.execute("drop table raw_stackexchange.questions")
    assert cli.main(["build"]) == 1
    assert "ptmwh build: error: dbt build failed" in capsys.readouterr().err
    (n_questions,) = _query(db, "select count(*) from marts.fct_questions")[0]
    assert n_questions > 5896
    assert cli.main(["report", "--out", str(tmp_path / "site")]) == 1
    err = capsys.readouterr().err
    assert "allow-stale" in err and len(err.strip().splitlines()) == 1
    assert cli.main(["report", "--out", str(tmp_path / "site"), "--allow-stale"]) == 0
    assert "Stale" in (tmp_path / "site" / "index.html").read_text()


def test_duckdb_cli_of_the_pinned_version_reads_the_warehouse(demo):
    """Ad-hoc SQL is `duckdb data/warehouse.duckdb`: the CLI must open what the steps wrote."""
    cli_path = Path(sys.executable).parent / "duckdb"
    completed = subprocess.run(
        [
            str(cli_path),
            "-readonly",
            "-csv",
            str(demo["db"]),
            "select question_group, n_questions from marts.rpt_difficulty"
            " where topic = 'ptm' order by 1",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert completed.stdout.split() == [
        "question_group,n_questions",
        "baseline,52000",
        "topic,5896",
    ]


def test_demo_report_loads_cleanly_in_chromium(demo, tmp_path):
    """The report `make demo` writes passes the browser check, not only the fixture report."""
    from tests.reports.devtools_pipe import find_chromium, inspect_page

    chromium = find_chromium()
    if chromium is None:
        pytest.skip("!!! CHROMIUM NOT FOUND: the demo report's browser check did NOT run !!!")
    url = (demo["site"] / "index.html").as_uri()
    page = inspect_page(chromium, url, tmp_path / "profile")
    assert page.console_errors == []
    assert page.requests == [url]
    assert page.screenshot_png.startswith(b"\x89PNG")


def test_ptm_round_1_candidates_have_counts_and_significance_from_the_raw_rows(demo):
    """The load fetched the related tags' info, so every candidate of ptm's first round has its
    own question count and a significance equal to a computation over the raw tables."""
    db = demo["db"]
    topic_tags = dict(
        _query(db, "select tag, in_initial_set from seeds.topic_tags where topic = 'ptm'")
    )
    initial = {tag for tag, is_initial in topic_tags.items() if is_initial}
    tags: dict[int, set[str]] = {}
    for question_id, tag in _query(
        db, "select question_id, tag from raw_stackexchange.question_tags"
    ):
        tags.setdefault(question_id, set()).add(tag)
    in_window = [
        tags.get(question_id, set())
        for question_id, created in _query(
            db, "select question_id, creation_date from raw_stackexchange.questions"
        )
        if WINDOW_START <= created < WINDOW_END_EXCLUSIVE
    ]
    site_counts = dict(_query(db, "select name, count from raw_stackexchange.tags"))
    rows = _query(
        db,
        "select tag, n_questions, n_questions_source, n_questions_together, significance "
        "from marts.rpt_tag_selection where topic = 'ptm' and round = 1",
    )
    assert len(rows) > 20
    for tag, n_questions, source, together, significance in rows:
        expected_together = sum(1 for q in in_window if q & initial and tag in q)
        if tag in topic_tags:
            expected_n, expected_source = sum(1 for q in in_window if tag in q), "loaded_questions"
        else:
            expected_n, expected_source = site_counts[tag], "site_tag_count"
        assert (n_questions, source, together) == (expected_n, expected_source, expected_together)
        assert significance == pytest.approx(expected_together / expected_n), tag
        assert 0 <= significance <= 1
