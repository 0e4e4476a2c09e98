"""`SOURCES__STACKEXCHANGE__BASE_URL=… ptmwh load …` against any API-compatible server."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from demo.replay_api import serve
from ptmwh import cli
from tests.fakes import make_dataset


def test_cli_load_takes_the_base_url_from_dlt_env_and_loads_each_question_once(
    tmp_path, monkeypatch, capsys
):
    dataset = make_dataset({"c#": 130, "c++": 40, ".net": 25}, shared=12, baseline=50)
    start, end = datetime(2020, 3, 1, tzinfo=UTC), datetime(2021, 6, 30, 23, 59, 59, tzinfo=UTC)
    expected = {
        item["question_id"]
        for item in dataset.questions
        if {"c#", "c++"} & set(item["tags"])
        and start.timestamp() <= item["creation_date"] <= end.timestamp()
    }
    expected_answers = {a["answer_id"] for a in dataset.answers if a["question_id"] in expected}
    db = tmp_path / "w.duckdb"
    monkeypatch.setenv("PTMWH_DB", str(db))
    with serve(dataset) as url:
        monkeypatch.setenv("SOURCES__STACKEXCHANGE__BASE_URL", url)
        status = cli.main(
            [
                "load",
                "--tags",
                "c#,c++",
                "--from",
                "2020-03-01",
                "--to",
                "2021-06-30",
                "--baseline",
                "none",
            ]
        )
    out = capsys.readouterr().out
    assert status == 0, out
    assert "completed:" in out and "raw_stackexchange rows:" in out
    with duckdb.connect(str(db), read_only=True) as con:
        loaded = [
            row[0]
            for row in con.execute("select question_id from raw_stackexchange.questions").fetchall()
        ]
        answers = {
            row[0]
            for row in con.execute("select answer_id from raw_stackexchange.answers").fetchall()
        }
    assert expected and sorted(loaded) == sorted(expected)  # each once, none outside tags/window
    assert answers == expected_answers
