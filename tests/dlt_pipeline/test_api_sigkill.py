"""A load killed with SIGKILL mid-run, then re-run, ends with exactly the rows of a clean run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date

import duckdb

from dlt_pipeline.api_runner import run_api_load
from dlt_pipeline.options import TagSet
from study.window import Window
from tests.fakes import FaultPlan, ManualClock, make_dataset, serve

TAGS = ["c#", "c++", ".net"]
CHILD = """
import sys
from datetime import date
from pathlib import Path
from dlt_pipeline.api_runner import run_api_load
from dlt_pipeline.options import TagSet
from study.window import Window
window = Window(date(2020, 1, 1), date(2022, 12, 31))
run_api_load(Path(sys.argv[1]), topics=[TagSet({tags!r}, window)],
             site="stackoverflow.com", base_url=sys.argv[2],
             baseline="sample", progress=lambda line: None)
"""


def _load(db, url):
    return run_api_load(
        db,
        topics=[TagSet(tuple(TAGS), Window(date(2020, 1, 1), date(2022, 12, 31)))],
        site="stackoverflow.com",
        base_url=url,
        baseline="sample",
        progress=lambda line: None,
        clock=ManualClock(),
    )


def _snapshot(db):
    with duckdb.connect(str(db), read_only=True) as con:
        tables = ("questions", "question_tags", "answers", "tags", "related_tags")
        volatile = {"questions": ", collected_at"}  # the responses' Date differ between runs
        rows = {
            t: con.execute(
                f"select * exclude (_dlt_load_id{volatile.get(t, '')}) "
                f"from raw_stackexchange.{t} order by all"
            ).fetchall()
            for t in tables
        }
        rows["baseline_sample_questions"] = con.execute(
            "select * exclude (_dlt_load_id) from raw_stackexchange.baseline_sample_questions "
            "order by all"
        ).fetchall()
        rows["baseline_sample_runs"] = con.execute(
            "select * exclude (sampled_at, _dlt_load_id) "
            "from raw_stackexchange.baseline_sample_runs"
        ).fetchall()
        return rows


def test_sigkill_mid_load_then_rerun_equals_clean_run(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCES__STACKEXCHANGE__KEY", "k")
    monkeypatch.setenv("SOURCES__STACKEXCHANGE__SAMPLE_SIZE", "400")
    dataset = make_dataset({"c#": 900, "c++": 200, ".net": 50}, shared=20, baseline=1_200)
    clean, killed = tmp_path / "clean.duckdb", tmp_path / "killed.duckdb"
    with serve(dataset) as url:
        _load(clean, url)

    with serve(dataset, faults=FaultPlan(delay_seconds=0.03)) as url:
        env = {**os.environ, "PYTHONPATH": os.getcwd()}
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD.format(tags=tuple(TAGS)), str(killed), url],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while len(url.requests) < 12 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.01)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL

    with serve(dataset) as url:
        result = _load(killed, url)
    assert result.status == "completed"
    assert _snapshot(killed) == _snapshot(clean)
