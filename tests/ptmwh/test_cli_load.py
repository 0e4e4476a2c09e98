"""`ptmwh load --topic NAME` loads exactly that topic's tags, window and site from the seeds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from demo.replay_api import serve
from ptmwh import cli
from tests.fakes import make_dataset

ROOT = Path(__file__).resolve().parents[2]


def _epoch(*day: int) -> int:
    return int(datetime(*day, tzinfo=UTC).timestamp())


def test_load_topic_loads_exactly_its_tags_window_and_site(seeds, tmp_path, monkeypatch, capsys):
    dataset = make_dataset({"c#": 130, "c++": 40, ".net": 25}, shared=12, baseline=50, site="x.com")
    start, end = _epoch(2020, 3, 1), _epoch(2021, 7, 1) - 1
    expected = {
        item["question_id"]
        for item in dataset.questions
        if {"c#", "c++"} & set(item["tags"]) and start <= item["creation_date"] <= end
    }
    expected_answers = {a["answer_id"] for a in dataset.answers if a["question_id"] in expected}
    add = ["topic", "add", "cs", "--tags", "c#,c++", "--from", "2020-03-01", "--to", "2021-06-30"]
    assert cli.main([*add, "--site", "x.com"]) == 0
    with serve(dataset) as url:
        monkeypatch.setenv("SOURCES__STACKEXCHANGE__BASE_URL", url)
        status = cli.main(["load", "--topic", "cs", "--baseline", "none"])
        chains = {
            (r.params["tagged"], r.params["site"], r.params["fromdate"], r.params["todate"])
            for r in url.requests
            if r.path == "/questions"
        }
    out = capsys.readouterr().out
    assert status == 0, out
    assert "completed:" in out and "(site x.com)" in out and "raw_stackexchange rows:" in out
    assert chains == {("c#", "x.com", str(start), str(end)), ("c++", "x.com", str(start), str(end))}
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        loaded = con.execute("select site, question_id from raw_stackexchange.questions").fetchall()
        answers = {
            r[0] for r in con.execute("select answer_id from raw_stackexchange.answers").fetchall()
        }
        run = con.execute("select site, tags, from_date, to_date from raw_stackexchange.load_runs")
        assert run.fetchall() == [("x.com", "c#;c++", datetime(2020, 3, 1).date(),
                                   datetime(2021, 6, 30).date())]  # fmt: skip
    assert expected and sorted(loaded) == sorted(("x.com", q) for q in expected)  # each once
    assert answers == expected_answers
    assert cli.main(["topics"]) == 0
    assert (
        f"cs: x.com 2020-03-01..2021-06-30, 2 tags (c#, c++); {len(expected)} questions loaded"
        in (capsys.readouterr().out)
    )


def test_load_groups_topics_by_site_one_load_each(seeds, tmp_path, monkeypatch, capsys):
    dataset = make_dataset({"c#": 60, "c++": 30}, baseline=20, site="x.com")
    for name, tag, window in (("a", "c#", ("2020-01-01", "2020-12-31")),
                              ("b", "c++", ("2021-01-01", "2021-12-31"))):  # fmt: skip
        argv = ["topic", "add", name, "--tags", tag, "--from", window[0], "--to", window[1]]
        assert cli.main([*argv, "--site", "x.com"]) == 0
    with serve(dataset) as url:
        monkeypatch.setenv("SOURCES__STACKEXCHANGE__BASE_URL", url)
        assert cli.main(["load", "--topic", "a", "--topic", "b", "--baseline", "totals"]) == 0
        chains = {
            (r.params["tagged"], r.params["fromdate"], r.params["todate"])
            for r in url.requests
            if r.path == "/questions"
        }
    capsys.readouterr()
    assert chains == {
        ("c#", str(_epoch(2020, 1, 1)), str(_epoch(2021, 1, 1) - 1)),
        ("c++", str(_epoch(2021, 1, 1)), str(_epoch(2022, 1, 1) - 1)),
    }
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        runs = con.execute("select count(*) from raw_stackexchange.load_runs").fetchall()
        totals = con.execute(
            "select population, topic_tags, year, count(*) from raw_stackexchange.baseline_totals "
            "group by all order by all"
        ).fetchall()
    assert runs == [(1,)]
    assert totals == [
        ("all_questions", "", 2020, 2),
        ("all_questions", "", 2021, 2),
        ("topic_questions", "c#", 2020, 2),
        ("topic_questions", "c++", 2021, 2),
    ]


def test_synthetic_sample_of_a_topic_on_another_site_is_one_line_and_loads_nothing(
    seeds, tmp_path, capsys
):
    argv = ["topic", "add", "brewing", "--tags", "hops", "--from", "2014-01-01", "--to"]
    assert cli.main([*argv, "2014-12-31", "--site", "beer.stackexchange.com"]) == 0
    capsys.readouterr()
    assert cli.main(["load", "--synthetic-sample", "--topic", "brewing"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(
        "ptmwh load: error: the synthetic sample is of stackoverflow.com only and brewing is on "
        "beer.stackexchange.com: pick a topic on stackoverflow.com"
    )
    assert not (tmp_path / "w.duckdb").exists()
