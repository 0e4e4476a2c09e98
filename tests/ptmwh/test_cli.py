"""The CLI's own behaviour: usage errors in one line, the warehouse path, the single-writer lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from ptmwh import cli
from ptmwh.locking import WarehouseBusyError, lock_path, warehouse_lock
from ptmwh.settings import warehouse_path


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["load", "--tags", "a,b"], "--tags without a topic: define it first: ptmwh topic add"),
        (["load", "--from", "2021-01-01", "--to", "2022-01-01"], "--from/--to without a topic"),
        (["run", "--site", "beer"], "--site without a topic: define it first"),
        (["load", "--topic", "ptm", "--tags", "a"], "--tags cannot be combined with --topic"),
        (["load", "--topic", "ptm", "--from", "2020-01-01"], "--from cannot be combined"),
        (["load-dump", "x.xml", "--to", "June"], "'June' is not a date"),
        (["load-dump", "x.xml", "--from", "2020-01-01"], "--from and --to go together"),
        (["load-dump", "x.xml", "--from", "2021-01-01", "--to", "2020-01-01"], "swap them"),
        (
            ["topic", "add", "x", "--tags", " , ", "--from", "2020-01-01", "--to", "2020-12-31"],
            "the tag list is empty",
        ),
        (
            ["topic", "add", "x", "--tags", "a", "--from", "2020-13-01", "--to", "2020-12-31"],
            "'2020-13-01' is not a date: use YYYY-MM-DD",
        ),
        (
            ["topic", "add", "x", "--tags", "a", "--from", "2021-01-01", "--to", "2020-01-01"],
            "--from 2021-01-01 is after --to 2020-01-01: swap them",
        ),
        (["topic", "add", "x", "--tags", "a", "--from", "2020-01-01"], "--to"),
        (["build", "--topic", "ptm"], "unrecognized arguments: --topic ptm"),
    ],
)
def test_usage_errors_are_one_clear_line(argv, expected, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 2
    error_lines = [line for line in capsys.readouterr().err.splitlines() if "error:" in line]
    assert len(error_lines) == 1
    assert expected in error_lines[0]


def test_warehouse_path_follows_env(monkeypatch, tmp_path):
    monkeypatch.setenv("PTMWH_DB", str(tmp_path / "w.duckdb"))
    assert warehouse_path() == tmp_path / "w.duckdb"
    monkeypatch.delenv("PTMWH_DB")
    monkeypatch.chdir(tmp_path)
    assert warehouse_path() == tmp_path / "data" / "warehouse.duckdb"


def test_second_writer_is_refused_naming_the_holder(tmp_path):
    db = tmp_path / "w.duckdb"
    with warehouse_lock(db, "ptmwh load"):
        holder = json.loads(lock_path(db).read_text())
        assert holder["pid"] == os.getpid()
        with pytest.raises(WarehouseBusyError, match=r"in use by `ptmwh load` \(pid \d+"):
            with warehouse_lock(db, "ptmwh build"):
                pass
    with warehouse_lock(db, "ptmwh build"):
        pass


def test_cli_reports_busy_warehouse_in_one_line(tmp_path, monkeypatch, capsys):
    db = tmp_path / "w.duckdb"
    monkeypatch.setenv("PTMWH_DB", str(db))
    with warehouse_lock(db, "ptmwh load"):
        status = cli.main(["analyze"])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 1
    assert err == [err[0]] and err[0].startswith("ptmwh analyze: error: warehouse ")
    assert "in use by `ptmwh load`" in err[0]


@contextmanager
def _duckdb_session(db: Path, *, read_only: bool = False) -> Iterator[int]:
    """Another process holding the warehouse open, as a duckdb session would; yields its pid."""
    duckdb.connect(str(db)).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,sys; c=duckdb.connect({str(db)!r}, read_only={read_only}); "
            "print('ready', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        yield holder.pid
    finally:
        holder.communicate("")


def test_duckdb_lock_of_another_process_is_named(tmp_path):
    """A duckdb writer in another process (a `dbt run`, the CLI) is detected before any write."""
    db = tmp_path / "w.duckdb"
    with _duckdb_session(db) as pid:
        with pytest.raises(WarehouseBusyError, match=f"locked by process {pid} \\(`\\S*python"):
            with warehouse_lock(db, "ptmwh build"):
                pass


@pytest.mark.parametrize("verb", ["report", "topics", "build", "analyze"])
def test_every_verb_names_the_process_holding_the_warehouse(verb, tmp_path, monkeypatch, capsys):
    db = tmp_path / "w.duckdb"
    monkeypatch.setenv("PTMWH_DB", str(db))
    with _duckdb_session(db) as pid:
        assert cli.main([verb]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"ptmwh {verb}: error: warehouse {db} is locked by process {pid} (`")
    assert "duckdb -readonly" in err


def test_a_read_only_session_blocks_writers_only(tmp_path, monkeypatch, capsys):
    db = tmp_path / "w.duckdb"
    monkeypatch.setenv("PTMWH_DB", str(db))
    with _duckdb_session(db, read_only=True) as pid:
        assert cli.main(["topics"]) == 0
        assert cli.main(["build"]) == 1
    assert f"is locked by process {pid}" in capsys.readouterr().err


def test_readme_opens_the_warehouse_read_only_for_ad_hoc_sql():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    commands = [line for line in readme.splitlines() if line.startswith(".venv/bin/duckdb ")]
    assert commands and all(" -readonly " in command for command in commands)


def test_build_without_a_warehouse_is_one_line_and_creates_nothing(tmp_path, monkeypatch, capsys):
    db = tmp_path / "data" / "w.duckdb"
    monkeypatch.setenv("PTMWH_DB", str(db))
    assert cli.main(["build"]) == 1
    assert capsys.readouterr().err == (
        f"ptmwh build: error: no warehouse at {db}: nothing to build yet; load data first "
        "(`ptmwh load --topic NAME`, `ptmwh load-dump PATH`, or `ptmwh run --synthetic-sample` "
        "for the offline demo), or set PTMWH_DB to your warehouse\n"
    )
    assert not db.exists()


def test_failing_step_prints_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PTMWH_DB", str(tmp_path / "w.duckdb"))

    def boom(db_path: Path, args) -> str:
        raise RuntimeError("marts.fct_questions missing:\n run `ptmwh build` first")

    monkeypatch.setitem(cli._VERBS, "analyze", replace(cli._VERBS["analyze"], run=boom))
    assert cli.main(["analyze"]) == 1
    assert capsys.readouterr().err == (
        "ptmwh analyze: error: marts.fct_questions missing: run `ptmwh build` first\n"
    )


def test_cli_defaults_are_the_studys():
    """The study's seed and bootstrap replicates, as a notebook calling analysis_py gets them."""
    parsed = cli._build_parser().parse_args(["analyze"])
    assert (parsed.seed, parsed.bootstrap) == (20230615, 2000)
    assert cli._build_parser().parse_args(["sample"]).topic == "ptm"


def test_run_gives_each_step_the_arguments_its_own_verb_takes(tmp_path, monkeypatch, capsys):
    from ptmwh.commands import run as run_verb

    monkeypatch.setenv("PTMWH_DB", str(tmp_path / "w.duckdb"))
    seen: dict[str, dict] = {}

    def recorder(name: str):
        def step(db_path: Path, args) -> str:
            seen[name] = vars(args)
            return f"{name} done"

        return step

    monkeypatch.setattr(run_verb, "load", recorder("load"))
    for attr in ("BUILD", "ANALYZE", "REPORT"):
        verb = getattr(run_verb, attr)
        monkeypatch.setattr(run_verb, attr, replace(verb, run=recorder(verb.name)))
    assert cli.main(["run", "--topic", "ptm", "--out", str(tmp_path / "site")]) == 0
    assert seen["load"]["topics"] == ["ptm"]
    assert seen["build"] == {"engine": "duckdb"}
    assert seen["analyze"] == {"seed": 20230615, "bootstrap": 2000}
    assert seen["report"] == {"out": tmp_path / "site", "allow_stale": False}
    out = capsys.readouterr().out
    assert [line.split(" (")[0] for line in out.splitlines()[:4]] == [
        "[load] load done",
        "[build] build done",
        "[analyze] analyze done",
        "[report] report done",
    ]
