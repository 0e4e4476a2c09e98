"""Ctrl-C during `ptmwh load-dump`: one line, exit 130, the run recorded, a rerun loads it whole.

The load runs in a child process in its own session, and SIGINT goes to that whole process group,
as a terminal's Ctrl-C does, so its parse workers receive it too. The child stalls in its progress
callback (after the first chunk the workers parsed) until the signal arrives: the test waits for
that line, never for a time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb

from dlt_pipeline.dump_runner import run_dump_load
from ptmwh import cli
from study.window import Window

ROOT = Path(__file__).resolve().parents[2]
BEER = ROOT / "tests" / "fixtures" / "real" / "se-dump-beer" / "Posts.xml"
WINDOW = ["--from", "2014-01-01", "--to", "2014-12-31"]

# The fixture is small, so it is parsed in the worker processes only when told to.
# The load stalls at its first chunk until Ctrl-C. Not `signal.pause()`: a SIGINT that arrives
# between the print and the pause is handled before pause starts, which then waits forever; the
# loop's next turn raises KeyboardInterrupt for it instead.
_STALLED_LOAD = """
import faulthandler, signal, sys, time
faulthandler.dump_traceback_later(60, exit=True)  # a hung load says where, then exits
# Ctrl-C as a terminal delivers it: a test run started in the background of a shell without job
# control (`nohup make test &`) holds SIGINT ignored, which a child inherits, and Python then
# installs no handler for it, so the signal the test sends would do nothing.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
signal.signal(signal.SIGINT, signal.default_int_handler)
from dlt_pipeline import dump_runner
from ptmwh import cli, progress

dump_runner.PARALLEL_MIN_BYTES = 0


def meter(self, total):
    def stalled(*_progress):
        print("reading", flush=True)
        while True:
            time.sleep(0.05)

    return stalled


progress.DumpProgress.meter = meter
sys.exit(cli.main(sys.argv[1:]))
"""


def _rows(db_path: Path, table: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        columns = [
            name
            for (name,) in connection.execute(
                "select column_name from information_schema.columns where table_schema = "
                "'raw_stackexchange' and table_name = ? and not starts_with(column_name, '_dlt')"
                " order by ordinal_position",
                [table],
            ).fetchall()
        ]
        if not columns:
            return []
        listed = ", ".join(columns)
        return connection.execute(
            f"select {listed} from raw_stackexchange.{table} order by all"
        ).fetchall()


def test_ctrl_c_during_load_dump_is_one_line_exit_130_recorded_and_rerun_is_a_clean_load(
    tmp_path: Path, monkeypatch
) -> None:
    db_path = tmp_path / "w.duckdb"
    argv = ["load-dump", str(BEER), "--site", "beer", *WINDOW]
    env = {**os.environ, "PTMWH_DB": str(db_path)}
    child = subprocess.Popen(
        [sys.executable, "-c", _STALLED_LOAD, *argv],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "reading\n"
        os.killpg(child.pid, signal.SIGINT)
        _out, err = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 130
    assert err == "ptmwh load-dump: interrupted; rerun to resume (loads are idempotent)\n"
    with duckdb.connect(str(db_path), read_only=True) as connection:
        runs = connection.execute(
            "select status, site, items_loaded from raw_stackexchange.load_runs"
        ).fetchall()
    assert runs == [
        (
            "interrupted",
            "beer.stackexchange.com",
            '{"answers": 0, "question_tags": 0, "questions": 0}',
        )
    ]
    assert all(_rows(db_path, table) == [] for table in ("questions", "answers"))

    monkeypatch.setenv("PTMWH_DB", str(db_path))
    assert cli.main(argv) == 0
    clean = tmp_path / "clean.duckdb"
    run_dump_load(
        clean,
        BEER,
        windows=[Window(date(2014, 1, 1), date(2014, 12, 31))],
        site="beer",
        progress=lambda _line: None,
    )
    for table in ("questions", "question_tags", "answers"):
        assert _rows(db_path, table) == _rows(clean, table)
