"""Each real API page kind (questions, answers, tags, error, backoff) parses through the loader."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from demo.replay_api import ApiDataset, serve
from dlt_pipeline.api_runner import run_api_load
from dlt_pipeline.options import TagSet
from dlt_pipeline.stackexchange.client import ApiFailure, ApiRun, ApiSession, QuotaExhausted
from dlt_pipeline.stackexchange.rows import answer_row, question_rows, tag_row
from study.window import Window
from tests.fakes import ManualClock

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
PYTHON_PAGE = "se-api23-questions-tagged-python-2023/questions_tagged_python_2023-01-08.json"
VCR = "se-api22-ruby-stackoverflow-vcr"
SITE = "stackoverflow.com"
ERRORS = "se-api-error-bodies"


def _page(name: str) -> dict:
    return json.loads((REAL / name).read_text())


def test_real_questions_page_loads_end_to_end(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCES__STACKEXCHANGE__KEY", "k")
    page = _page(PYTHON_PAGE)
    dataset = ApiDataset(questions=page["items"])
    db = tmp_path / "w.duckdb"
    with serve(dataset) as url:
        result = run_api_load(
            db,
            topics=[TagSet(("python",), Window(date(2023, 1, 8), date(2023, 1, 8)))],
            site="stackoverflow.com",
            base_url=url,
            baseline="none",
            progress=lambda line: None,
            clock=ManualClock(),
        )
    assert result.row_counts["questions"] == 100
    with duckdb.connect(str(db), read_only=True) as con:
        closed, licensed, accepted = con.execute(
            "select count(closed_date), count(content_license), count(accepted_answer_id) "
            "from raw_stackexchange.questions"
        ).fetchone()
    assert (closed, licensed, accepted) == (16, 84, 13)


def test_real_items_of_each_kind_become_rows():
    run = ApiRun(progress=lambda line: None)
    questions = [
        question_rows(i, "tag_query", False, run, site=SITE, observed_at=0)
        for i in _page(PYTHON_PAGE)["items"]
    ]
    assert all(q is not None for q in questions)
    row, tags = questions[0]
    assert (row["question_id"], row["owner_user_id"], tags[0]["tag"]) == (
        75049069,
        20953460,
        "python",
    )
    answers = [
        answer_row(i, False, run, SITE) for i in _page(f"{VCR}/questions_answers.json")["items"]
    ]
    assert [a["answer_id"] for a in answers][:1] == [19405900] and answers[0][
        "is_accepted"
    ] is False
    tag_rows = [tag_row(i, False, run, SITE) for i in _page(f"{VCR}/users_tags.json")["items"]]
    assert tag_rows[0]["name"] == "devise" and tag_rows[3]["has_synonyms"] is True
    assert not run.skipped


class _Replay:
    """Serves recorded bodies in order through a plain HTTP server (status, bytes)."""

    def __init__(self, bodies):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        queue = list(bodies)

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                status, body = queue.pop(0)
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/2.3/comments"

    def __enter__(self):
        import threading

        threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True).start()
        return self.url

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_real_backoff_and_error_bodies_are_handled():
    backoff = (REAL / VCR / "comments.json").read_bytes()
    throttle = (REAL / ERRORS / "throttle_violation_ip_quota_with_seconds.json").read_bytes()
    short = (REAL / ERRORS / "throttle_violation_2012_no_seconds.json").read_bytes()
    denied = (REAL / ERRORS / "access_denied_page_above_25.json").read_bytes()
    clock = ManualClock()
    run = ApiRun(clock=clock, progress=lambda line: None)
    session = ApiSession(run)
    with _Replay(
        [(200, backoff), (400, short), (200, backoff), (400, throttle), (400, denied)]
    ) as url:
        assert len(session.get(url).json()["items"]) == 30
        assert len(session.get(url).json()["items"]) == 30
        assert clock.slept == [10.0, 1.0]  # the real "backoff": 10, then a throttle without seconds
        with pytest.raises(QuotaExhausted, match="76366 seconds"):
            session.get(url)
        with pytest.raises(ApiFailure, match=r"access_denied \(error_id 403\)"):
            session.get(url)
    assert run.quota_max == 10_000
