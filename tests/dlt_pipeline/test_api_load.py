"""Whole loads into DuckDB against the loopback fake: economy, resume, incremental, faults."""

from __future__ import annotations

import copy
import json
import math
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import unquote

import duckdb
import pytest

from dlt_pipeline.api_runner import run_api_load
from dlt_pipeline.options import TagSet
from dlt_pipeline.results import LoadError
from dlt_pipeline.stackexchange import settings
from study.defaults import STUDY_SEED
from study.window import Window
from tests.fakes import FaultPlan, ManualClock, make_dataset, serve

KEY = "s3cr3t-KEY-value-42"
TAGS = ["c#", "c++", ".net"]
WINDOW = {"from_date": date(2020, 1, 1), "to_date": date(2022, 12, 31)}
SITE = "stackoverflow.com"


@pytest.fixture(autouse=True)
def _isolated_config(monkeypatch):
    monkeypatch.delenv("SOURCES__STACKEXCHANGE__SAMPLE_SIZE", raising=False)
    monkeypatch.setenv("SOURCES__STACKEXCHANGE__KEY", KEY)


def _topics(options: dict) -> dict:
    """`run_api_load` options with one topic made of `tags`, `from_date` and `to_date`."""
    options = {"tags": TAGS, **WINDOW, "site": SITE, **options}
    window = Window(options.pop("from_date"), options.pop("to_date"))
    topic = TagSet(tuple(options.pop("tags")), window)
    return {**options, "topics": [topic]}


def _load(db: Path, url: str, lines: list[str] | None = None, **kwargs) -> object:
    options = _topics({"baseline": "none", **kwargs})
    sink = lines if lines is not None else []
    return run_api_load(db, base_url=url, progress=sink.append, clock=ManualClock(), **options)


def _query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    """Table contents that must match between runs (load ids and observation times left out)."""
    return {
        "questions": _query(
            db,
            "select * exclude (_dlt_load_id, collected_at) from raw_stackexchange.questions "
            "order by site, question_id",
        ),
        "question_tags": _query(
            db, "select * exclude (_dlt_load_id) from raw_stackexchange.question_tags order by all"
        ),
        "answers": _query(
            db, "select * exclude (_dlt_load_id) from raw_stackexchange.answers order by answer_id"
        ),
        "tags": _query(
            db, "select * exclude (_dlt_load_id) from raw_stackexchange.tags order by name"
        ),
        "related_tags": _query(
            db, "select * exclude (_dlt_load_id) from raw_stackexchange.related_tags order by all"
        ),
    }


def test_full_load_pages_past_25_with_a_key_dedupes_and_keeps_the_request_bound(tmp_path, capsys):
    dataset = make_dataset({"c#": 2_650, "c++": 120, ".net": 40}, shared=30, max_answers=1)
    db = tmp_path / "w.duckdb"
    lines: list[str] = []
    with serve(dataset) as url:
        result = _load(db, url, lines)
        pages_of_csharp = [r for r in url.requests if r.params.get("tagged") == "c#"]

    per_tag = {"c#": 2_680, "c++": 150, ".net": 40}
    answered = sum(1 for q in dataset.questions if q["answer_count"] > 0)
    # tag info, one related-tags request per tag, then the info of the related nlp and python
    bound = (
        sum(math.ceil(n / 100) for n in per_tag.values()) + math.ceil(answered / 100) + 1 + 3 + 1
    )
    assert result.status == "completed"
    assert len(pages_of_csharp) == 27
    assert result.requests_made <= bound
    assert result.row_counts["questions"] == len(dataset.questions) == 2_840
    assert _query(
        db, "select count(distinct question_id) = count(*) from raw_stackexchange.questions"
    ) == [(True,)]
    assert result.row_counts["answers"] == len(dataset.answers)
    assert result.row_counts["question_tags"] == sum(len(q["tags"]) for q in dataset.questions)
    assert _query(db, "select count(*) from raw_stackexchange.question_tags where tag = 'c#'") == [
        (2_680,)
    ]
    assert sorted(r[0] for r in _query(db, "select name from raw_stackexchange.tags")) == sorted(
        [*TAGS, "nlp", "python"]
    )
    runs = _query(
        db,
        "select status, requests_made, tags, base_url, items_loaded "
        "from raw_stackexchange.load_runs",
    )
    assert runs[0][:3] == ("completed", result.requests_made, "c#;c++;.net")
    assert json.loads(runs[0][4])["questions"] == 2_840
    assert any(line.startswith("questions[c#]: page 27,") for line in lines)

    # the key never reaches the warehouse, the dlt working dir, the progress lines or stdout
    assert KEY not in db.read_bytes().decode("latin-1")
    for path in (tmp_path / ".dlt_pipelines").rglob("*"):
        if path.is_file():
            assert KEY not in path.read_bytes().decode("latin-1"), path
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema = 'raw_stackexchange'"
        ).fetchall()
        for schema, table in tables:
            assert (
                not con.execute(f'select * from {schema}."{table}"')
                .fetchall()
                .__repr__()
                .count(KEY)
            )
    assert KEY not in "\n".join(lines) + capsys.readouterr().out


def _tag_item(name: str, count: int) -> dict:
    """A `/tags/{tags}/info` (or `/related`) item."""
    return {
        "name": name,
        "count": count,
        "has_synonyms": False,
        "is_moderator_only": False,
        "is_required": False,
    }


def test_related_tags_get_their_site_counts_once_each_in_batches_of_100(tmp_path):
    """The snowball's candidates need their own question counts: the related tags' info is
    fetched too, each new tag once, costing exactly ⌈new related tags / 100⌉ requests more."""
    plain = make_dataset({"c#": 40, "c++": 20, ".net": 10})
    plain.related_tags = {tag: [_tag_item(t, 5) for t in TAGS if t != tag] for tag in TAGS}
    rich = copy.deepcopy(plain)
    new = [f"related-{i:03d}" for i in range(250)]
    for i, name in enumerate(new):
        rich.related_tags[TAGS[i % 3]].append(_tag_item(name, 4))
        if i % 10 == 0:  # related to two of the load's tags: still asked for once
            rich.related_tags[TAGS[(i + 1) % 3]].append(_tag_item(name, 2))
    rich.tag_info += [_tag_item(name, 1_000 + i) for i, name in enumerate(new)]
    results, info_paths = {}, {}
    for name, dataset in (("plain", plain), ("rich", rich)):
        with serve(dataset) as url:
            results[name] = _load(tmp_path / f"{name}.duckdb", url)
            info_paths[name] = [r.path for r in url.requests if r.path.endswith("/info")]
    assert results["plain"].status == results["rich"].status == "completed"
    assert results["rich"].requests_made - results["plain"].requests_made == math.ceil(250 / 100)
    assert info_paths["plain"] == ["/tags/c%23;c%2B%2B;.net/info"]
    batches = [path.split("/")[2].split(";") for path in info_paths["rich"]]
    assert [len(batch) for batch in batches] == [3, 100, 100, 50]
    asked = [unquote(tag) for batch in batches for tag in batch]
    assert asked[:3] == TAGS and sorted(asked[3:]) == new  # each new related tag once
    counts = dict(
        _query(tmp_path / "rich.duckdb", "select name, count from raw_stackexchange.tags")
    )
    expected = {item["name"]: item["count"] for item in rich.tag_info}
    assert counts == expected
    (run,) = _query(
        tmp_path / "rich.duckdb", "select requests_made from raw_stackexchange.load_runs"
    )
    assert run == (results["rich"].requests_made,)


def test_quota_exhaustion_then_resume_equals_a_clean_run(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCES__STACKEXCHANGE__SAMPLE_SIZE", "300")
    dataset = make_dataset({"c#": 420, "c++": 130, ".net": 20}, shared=15, baseline=1_500)
    clean, resumed = tmp_path / "clean.duckdb", tmp_path / "resumed.duckdb"
    with serve(dataset) as url:
        _load(clean, url, baseline="both")
    with serve(dataset, faults=FaultPlan(quota_after=6)) as url:
        first = _load(resumed, url, baseline="both")
    assert first.status == "quota_exhausted"
    assert "00:00 UTC" in first.message and first.requests_made == 6
    assert 0 < first.row_counts["questions"] < 585
    with serve(dataset) as url:
        second = _load(resumed, url, baseline="both")
    assert second.status == "completed"
    assert _snapshot(resumed) == _snapshot(clean)
    sample_sql = (
        "select question_id from raw_stackexchange.questions "
        "where collected_by = 'random_sample' order by 1"
    )
    assert _query(resumed, sample_sql) == _query(clean, sample_sql)
    statuses = _query(resumed, "select status from raw_stackexchange.load_runs order by started_at")
    assert [s[0] for s in statuses] == ["quota_exhausted", "completed"]


def test_second_incremental_run_requests_only_new_data(tmp_path):
    old = make_dataset({"c#": 250, "c++": 60, ".net": 10}, max_answers=1)
    newer = make_dataset({"c#": 250, "c++": 60, ".net": 10}, max_answers=1)
    cutoff = max(q["creation_date"] for q in old.questions)
    fresh = [q for q in make_dataset({"c#": 30}, seed=99, max_answers=0).questions]
    for i, question in enumerate(fresh):
        question.update(question_id=900_000 + i, creation_date=cutoff + 10 + i, answer_count=0)
    newer.questions += fresh
    db = tmp_path / "w.duckdb"
    with serve(old) as url:
        _load(db, url, baseline="totals")
    with serve(newer) as url:
        result = _load(db, url, baseline="totals")
        question_requests = [r for r in url.requests if r.path == "/questions"]
        other = [r.path for r in url.requests if r.path != "/questions"]
    assert len(question_requests) == 3
    assert (
        int(next(r for r in question_requests if r.params["tagged"] == "c#").params["fromdate"])
        == cutoff
    )
    assert not any(p == "/search/advanced" for p in other)
    assert result.items_loaded["questions"] <= 30 + 3
    assert result.row_counts["questions"] == 320 + 30


def test_refresh_reads_by_activity_and_updates_known_questions(tmp_path):
    dataset = make_dataset({"c#": 120, "c++": 20, ".net": 5}, max_answers=1)
    db = tmp_path / "w.duckdb"
    with serve(dataset) as url:
        _load(db, url)
    changed = dataset.questions[0]
    changed["view_count"] = 987_654
    changed["last_activity_date"] = max(q["last_activity_date"] for q in dataset.questions) + 60
    with serve(dataset) as url:
        _load(db, url, refresh=True)
        sorts = {r.params.get("sort") for r in url.requests if r.path == "/questions"}
        mins = [r.params.get("min") for r in url.requests if r.path == "/questions"]
    assert sorts == {"activity"}
    assert all(m is not None for m in mins)
    views = _query(
        db,
        "select view_count from raw_stackexchange.questions "
        f"where question_id = {changed['question_id']}",
    )
    assert views == [(987_654,)]


def test_hostile_data_loads_what_is_usable_and_reports_skips(tmp_path):
    dataset = make_dataset({"c#": 300, "c++": 40, ".net": 8}, max_answers=1)
    faults = FaultPlan(hostile=True, duplicate_across_pages=True, huge_body_chars=50_000_000)
    db = tmp_path / "w.duckdb"
    with serve(dataset, faults=faults) as url:
        result = _load(db, url)
    unusable = {q["question_id"] for q in dataset.questions if q["question_id"] % 8 == 4}
    assert result.status == "completed"
    assert result.row_counts["questions"] == len(dataset.questions) - len(unusable)
    reasons = json.loads(
        _query(db, "select skipped_reasons from raw_stackexchange.load_runs")[0][0]
    )
    assert reasons["question without integer question_id"] >= len(unusable)
    assert reasons["question body truncated (too long)"] == 1
    assert reasons["duplicate item across pages"] >= 3
    longest = _query(db, "select max(length(body)) from raw_stackexchange.questions")[0][0]
    assert longest == settings.MAX_BODY_CHARS
    scripts = _query(
        db, "select count(*) from raw_stackexchange.questions where title like '<script>%'"
    )
    assert scripts[0][0] > 0
    assert (
        _query(
            db, "select count(*) from raw_stackexchange.question_tags where tag = '<b>bold</b>'"
        )[0][0]
        > 0
    )
    string_ids = [q["question_id"] for q in dataset.questions if q["question_id"] % 8 == 2]
    assert _query(
        db, f"select count(*) from raw_stackexchange.questions where question_id = {string_ids[0]}"
    ) == [(1,)]


def test_malformed_json_fails_with_one_line_and_keeps_what_was_fetched(tmp_path):
    dataset = make_dataset({"c#": 350, "c++": 10, ".net": 5}, max_answers=0)
    db = tmp_path / "w.duckdb"
    with serve(dataset, faults=FaultPlan(malformed=set(range(3, 100)))) as url:
        with pytest.raises(LoadError) as info:
            _load(db, url)
    message = str(info.value)
    assert message.startswith("malformed JSON from http://127.0.0.1:") and "\n" not in message
    assert KEY not in message
    assert _query(db, "select count(*) from raw_stackexchange.questions") == [(200,)]
    assert _query(db, "select status from raw_stackexchange.load_runs") == [("failed",)]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"tags": []}, "tag list is empty"),
        ({"tags": ["  "]}, "tag list is empty"),
        ({"baseline": "everything"}, "is not one of none, totals, sample, both"),
    ],
)
def test_bad_input_is_a_one_line_error(tmp_path, kwargs, expected):
    options = _topics({"base_url": "http://127.0.0.1:9/2.3", **kwargs})
    with pytest.raises(LoadError, match=expected):
        run_api_load(tmp_path / "w.duckdb", progress=lambda line: None, **options)
    assert not (tmp_path / "w.duckdb").exists()


def test_baseline_totals_and_uniform_random_sample(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCES__STACKEXCHANGE__SAMPLE_SIZE", "600")
    dataset = make_dataset({"c#": 200, "c++": 50, ".net": 10}, baseline=3_000)
    db = tmp_path / "w.duckdb"
    with serve(dataset) as url:
        result = _load(db, url, baseline="both")
    assert result.status == "completed"
    totals = dict(
        ((year, population, accepted), total)
        for year, population, accepted, total in _query(
            db,
            "select year, population, accepted_filter, total "
            "from raw_stackexchange.baseline_totals",
        )
    )
    in_2021 = [q for q in dataset.questions if date.fromtimestamp(q["creation_date"]).year == 2021]
    topic_2021 = [q for q in in_2021 if set(q["tags"]) & set(TAGS)]
    assert totals[(2021, "all_questions", "any")] == len(in_2021)
    assert totals[(2021, "topic_questions", "any")] == len(topic_2021)
    assert totals[(2021, "all_questions", "no_accepted_answer")] == sum(
        "accepted_answer_id" not in q for q in in_2021
    )
    run = _query(
        db,
        "select site, sample_run_id, seed, target_size, questions_found, ids_requested "
        "from raw_stackexchange.baseline_sample_runs",
    )
    assert run[0][2:5] == (STUDY_SEED, 600, 600) and run[0][5] > 600
    members = _query(
        db,
        "select m.question_id, q.collected_by from raw_stackexchange.baseline_sample_questions m "
        "join raw_stackexchange.questions q using (site, question_id) "
        f"where m.site = '{SITE}' and m.sample_run_id = '{run[0][1]}'",
    )
    topic_ids = {q["question_id"] for q in dataset.questions if set(q["tags"]) & set(TAGS)}
    all_ids = sorted(q["question_id"] for q in dataset.questions)
    sampled = [question_id for question_id, _ in members]
    assert len(sampled) == 600 and set(sampled) <= set(all_ids)
    # Topic-tagged questions stay in the sample (another topic's baseline) and keep the row of
    # their tag chain; the others arrived by the sample.
    assert {by for qid, by in members if qid in topic_ids} == {"tag_query"}
    assert {by for qid, by in members if qid not in topic_ids} == {"random_sample"}
    median = all_ids[len(all_ids) // 2]
    assert 0.43 < sum(i <= median for i in sampled) / 600 < 0.57
    accepted = _query(
        db,
        "select count(*) from raw_stackexchange.questions q join raw_stackexchange.answers a "
        "on a.answer_id = q.accepted_answer_id where q.collected_by = 'random_sample'",
    )
    wanted = _query(
        db,
        "select count(accepted_answer_id) from raw_stackexchange.questions "
        "where collected_by = 'random_sample'",
    )
    assert accepted == wanted and wanted[0][0] > 0


def test_anonymous_load_splits_long_histories_into_windows(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCES__STACKEXCHANGE__KEY", "")
    dataset = make_dataset({"c#": 2_600, "c++": 5, ".net": 5}, max_answers=0)
    lines: list[str] = []
    with serve(dataset) as url:
        result = _load(tmp_path / "w.duckdb", url, lines)
        pages = [int(r.params["page"]) for r in url.requests if r.params.get("tagged") == "c#"]
    assert result.status == "completed"
    assert max(pages) == 25 and len(pages) == 27
    assert result.row_counts["questions"] == 2_610
    assert "anonymous quota is 300 requests/day" in lines[0]


def test_a_question_id_on_two_sites_is_two_rows(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCES__STACKEXCHANGE__SAMPLE_SIZE", "20")
    db = tmp_path / "w.duckdb"
    for site in ("stackoverflow.com", "beer.stackexchange.com"):
        with serve(make_dataset({"c#": 30, "c++": 10}, site=site)) as url:
            assert _load(db, url, site=site, baseline="sample").status == "completed"
            assert {r.params["site"] for r in url.requests} == {site}
    per_table = {
        table: _query(
            db,
            f"select site, count(*) from raw_stackexchange.{table} group by site order by site",
        )
        for table in ("questions", "question_tags", "answers", "tags", "related_tags")
    }
    for table, counts in per_table.items():
        assert [site for site, _ in counts] == ["beer.stackexchange.com", "stackoverflow.com"]
        assert counts[0][1] == counts[1][1] > 0, table  # same ids on both sites: nothing replaced
    links = _query(db, "select distinct site, link like 'https://stackoverflow.com/%' from "
                   "raw_stackexchange.questions order by 1")  # fmt: skip
    assert links == [("beer.stackexchange.com", True), ("stackoverflow.com", True)]  # as sent
    members = _query(
        db, "select site, count(*) from raw_stackexchange.baseline_sample_questions group by 1"
    )
    assert len(members) == 2


def test_collected_at_is_the_responses_date_header(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCES__STACKEXCHANGE__SAMPLE_SIZE", "50")
    crawled = int(datetime(2023, 6, 30, tzinfo=UTC).timestamp())
    dataset = make_dataset({"c#": 40}, baseline=200)
    dataset.collected_at = crawled
    with serve(dataset) as url:
        _load(tmp_path / "crawled.duckdb", url, baseline="sample")
    assert _query(
        tmp_path / "crawled.duckdb",
        "select collected_by, collected_at, count(*) from raw_stackexchange.questions "
        "group by all order by 1",
    ) == [
        ("random_sample", crawled, 50 - _topic_members(tmp_path / "crawled.duckdb")),
        ("tag_query", crawled, 40),
    ]
    dataset.collected_at = None
    before = datetime.now(UTC).timestamp()
    with serve(dataset) as url:
        _load(tmp_path / "now.duckdb", url)
    ((low, high),) = _query(
        tmp_path / "now.duckdb",
        "select min(collected_at), max(collected_at) from raw_stackexchange.questions",
    )
    assert int(before) - 1 <= low <= high <= datetime.now(UTC).timestamp() + 1


def _topic_members(db: Path) -> int:
    """Sample members a tag chain fetched (their row says `tag_query`)."""
    ((n,),) = _query(
        db,
        "select count(*) from raw_stackexchange.baseline_sample_questions m join "
        "raw_stackexchange.questions q using (site, question_id) "
        "where q.collected_by = 'tag_query'",
    )
    return n
