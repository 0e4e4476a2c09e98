"""Many topics on many sites in one build: the marts equal a plain-Python computation per topic.

The dbt project is copied with its seeds replaced by three topics: `alpha` and `beta` on Stack
Overflow with different, non-default windows and a shared tag (so some questions are in both), and
`brew` on beer.stackexchange.com, whose question and answer ids collide with Stack Overflow's.
Stack Overflow's baseline is the API's random sample (`baseline_sample_questions`), with exact
yearly totals for every window year of `alpha` only; the beer site comes from a dump, so `brew`'s
baseline is its full population.
"""

from __future__ import annotations

import csv
import random
import shutil
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.raw_rows import (
    RawRows,
    accepted_answer_row,
    epoch,
    question_row,
    sample_member_row,
    yearly_total_rows,
)

from .conftest import BuiltWarehouse
from .dbt_helpers import DBT_PROJECT_DIR, failed_nodes, run_dbt
from .expected import popularity
from .raw_fixture import write_raw_tables

pytestmark = pytest.mark.slow

SO = "stackoverflow.com"
BEER = "beer.stackexchange.com"
COLLECTED_AT = datetime(2023, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Topic:
    """One row of the `topics` seed and its tags (tag -> in_initial_set)."""

    name: str
    site: str
    window_start: date
    window_end: date
    tags: dict[str, bool]

    def holds(self, question: dict[str, Any]) -> bool:
        """The question is on the topic's site and created inside its window (ends inclusive)."""
        created = datetime.fromtimestamp(question["creation_date"], UTC).date()
        return question["site"] == self.site and self.window_start <= created <= self.window_end


TOPICS = [
    Topic("alpha", SO, date(2019, 3, 1), date(2020, 8, 31), {"a1": True, "a2": False}),
    Topic("beta", SO, date(2020, 1, 1), date(2021, 6, 30), {"a2": True, "b1": True}),
    Topic("brew", BEER, date(2019, 6, 1), date(2020, 12, 31), {"hops": True, "yeast": False}),
]
OTHER_TAGS = ["python", "lager", "misc"]


def _write_seeds(project: Path) -> None:
    seeds = project / "seeds"
    # No theme models: these topics are about baselines and keys (themes: test_theme_marts.py).
    (seeds / "theme_models.csv").write_text(
        "topic,n_themes,seed,min_df,max_df_share,iterations,bigrams,max_questions\n"
    )
    with (seeds / "topics.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["topic", "title", "site", "window_start", "window_end", "description", "reference"]
        )
        for topic in TOPICS:
            writer.writerow(
                [
                    topic.name,
                    topic.name.title(),
                    topic.site,
                    topic.window_start.isoformat(),
                    topic.window_end.isoformat(),
                    f"{topic.name} questions",
                    "test",
                ]
            )
    with (seeds / "topic_tags.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["topic", "tag", "tag_kind", "in_initial_set"])
        for topic in TOPICS:
            for tag, initial in topic.tags.items():
                writer.writerow([topic.name, tag, "concept", str(initial).lower()])
    # No snowball rounds: the decisions of the real seed name topics these seeds do not hold.
    (seeds / "topic_tag_decisions.csv").write_text("topic,round,tag,decision,reason\n")


def _raw_rows(seed: int = 3) -> RawRows:
    """Questions 1..n on each site (ids collide), tags, accepted answers (ids collide too)."""
    rng = random.Random(seed)
    rows = RawRows()
    span_start = epoch(datetime(2018, 10, 1, tzinfo=UTC))
    span = epoch(datetime(2021, 12, 31, tzinfo=UTC)) - span_start
    for site, n_questions, tag_pool in (
        (SO, 360, ["a1", "a2", "b1"]),
        (BEER, 160, ["hops", "yeast"]),
    ):
        is_dump = site == BEER
        edges = _edge_times(site)
        for question_id in range(1, n_questions + 1):
            if question_id <= len(edges):
                created = edges[question_id - 1]
            else:
                created = span_start + rng.randrange(span)
            tags = rng.sample(tag_pool, rng.choice([0, 0, 1, 1, 2]))
            tags += rng.sample(OTHER_TAGS, rng.choice([0, 1]))
            tags = tags or ["misc"]
            is_tagged = bool(set(tags) - set(OTHER_TAGS))
            if is_dump:
                collected_by = "dump"
            else:
                collected_by = "tag_query" if is_tagged else "random_sample"
                # Some untagged questions are in no sample; some tagged ones are in it too.
                if collected_by == "random_sample" and rng.random() < 0.2:
                    collected_by = "tag_query"
                elif rng.random() < 0.7 or is_tagged and rng.random() < 0.2:
                    rows.baseline_sample_questions.append(
                        sample_member_row(site, "run-1", question_id)
                    )
            answer_count = rng.choice([0, 1, 1, 2, 4])
            views = rng.randint(1, 900)
            accepted_answer_id = None
            if answer_count and rng.random() < 0.6:
                accepted_answer_id = 50_000 + question_id
                rows.answers.append(
                    accepted_answer_row(
                        site,
                        accepted_answer_id,
                        question_id,
                        created=created + rng.choice([45, 600, 7_200, 86_400 * 2]),
                        last_activity=created,
                        score=0,
                        data_source="dump" if is_dump else "api",
                    )
                )
            question = question_row(
                site,
                question_id,
                created,
                title=f"{site} {question_id}",
                link=f"https://{site}/q/{question_id}",
                score=rng.randint(-1, 4),
                view_count=views,
                answer_count=answer_count,
                accepted_answer_id=accepted_answer_id,
                data_source="dump" if is_dump else "api",
                collected_by=collected_by,
                collected_at=epoch(COLLECTED_AT),
            )
            rows.add_question(question, tags)
    rows.baseline_totals = _totals(TOPICS[0]) + _totals(TOPICS[1])[:4]
    return rows


def _edge_times(site: str) -> list[int]:
    """A second before, the first second, the last second and a second after each topic window."""
    times = []
    for topic in TOPICS:
        if topic.site != site:
            continue
        start = epoch(datetime.combine(topic.window_start, datetime.min.time(), UTC))
        end = epoch(
            datetime.combine(topic.window_end + timedelta(days=1), datetime.min.time(), UTC)
        )
        times += [start - 1, start, end - 1, end]
    return times


def _window_years(topic: Topic) -> list[tuple[int, date, date]]:
    years = []
    for year in range(topic.window_start.year, topic.window_end.year + 1):
        years.append(
            (
                year,
                max(topic.window_start, date(year, 1, 1)),
                min(topic.window_end, date(year, 12, 31)),
            )
        )
    return years


def _totals(topic: Topic) -> list[dict[str, Any]]:
    """Exact yearly totals as the loader writes them: each year clipped to the window."""
    rows = []
    for year, first, last in _window_years(topic):
        last_second = (
            epoch(datetime.combine(last + timedelta(days=1), datetime.min.time(), UTC)) - 1
        )
        for population, tags in (("all_questions", ""), ("topic_questions", ";".join(topic.tags))):
            divisor = 10 if population == "topic_questions" else 1
            totals = ((10_000 + year) // divisor, 6_000 // divisor)
            rows += yearly_total_rows(
                topic.site,
                year,
                epoch(datetime.combine(first, datetime.min.time(), UTC)),
                last_second,
                population,
                totals,
                tags,
            )
    return rows


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltWarehouse]:
    """Build a copy of the dbt project with the three topics as its seeds."""
    work = tmp_path_factory.mktemp("multi_topic")
    project = work / "dbt_project"
    shutil.copytree(
        DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages")
    )
    _write_seeds(project)
    rows = _raw_rows()
    db_path = work / "warehouse.duckdb"
    write_raw_tables(db_path, **{**rows.tables(), "related_tags": None})  # no such table
    result = run_dbt(["build"], db_path, work, project)
    assert result.success, failed_nodes(result)
    yield BuiltWarehouse(db_path, work, rows)


# ---- the independent computation --------------------------------------------------------------


def _questions(rows: RawRows) -> list[dict[str, Any]]:
    """Questions with their tags and response minutes (null when the answer predates them)."""
    tags: dict[tuple[str, int], list[str]] = {}
    for row in sorted(rows.question_tags, key=lambda r: r["tag_position"]):
        tags.setdefault((row["site"], row["question_id"]), []).append(row["tag"])
    answers = {(a["site"], a["answer_id"]): a for a in rows.answers}
    sampled = {(r["site"], r["question_id"]) for r in rows.baseline_sample_questions}
    result = []
    for question in rows.questions:
        key = (question["site"], question["question_id"])
        answer = answers.get((question["site"], question["accepted_answer_id"]))
        minutes = None
        if answer is not None and answer["creation_date"] >= question["creation_date"]:
            minutes = (answer["creation_date"] - question["creation_date"]) / 60
        result.append(
            {
                **question,
                "tags": tags.get(key, []),
                "response_minutes": minutes,
                "has_accepted_answer": question["accepted_answer_id"] is not None,
                "is_sampled": key in sampled,
            }
        )
    return result


def _groups(topic: Topic, questions: list[dict[str, Any]]) -> dict[str, tuple[str, list[dict]]]:
    """question_group -> (sampling_method, questions): members, then every other question of the
    site and window: the dump's when there is one, else the random sample's."""
    in_window = [q for q in questions if topic.holds(q)]
    members = [q for q in in_window if set(q["tags"]) & set(topic.tags)]
    others = [q for q in in_window if not set(q["tags"]) & set(topic.tags)]
    dump = [q for q in others if q["collected_by"] == "dump"]
    if dump:
        return {"topic": ("full_population", members), "baseline": ("full_population", dump)}
    sample = [q for q in others if q["is_sampled"]]
    return {"topic": ("full_population", members), "baseline": ("random_sample", sample)}


def _metrics(questions: list[dict[str, Any]]) -> dict[str, Any]:
    minutes = [q["response_minutes"] for q in questions if q["response_minutes"] is not None]
    n_no_accepted = sum(not q["has_accepted_answer"] for q in questions)
    return {
        "n_questions": len(questions),
        "no_accepted_answer_rate": n_no_accepted / len(questions),
        "median_response_minutes": statistics.median(minutes) if minutes else None,
        "answers_per_view": statistics.fmean(q["answer_count"] for q in questions)
        / statistics.fmean(q["view_count"] for q in questions),
    }


def _approx(value: Any) -> Any:
    return value if value is None else pytest.approx(value)


# ---- the tests --------------------------------------------------------------------------------


def test_colliding_ids_stay_distinct(warehouse: BuiltWarehouse) -> None:
    facts = warehouse.query(
        "select site, question_id, title, response_minutes from marts.fct_questions"
    )
    expected = {
        (q["site"], q["question_id"]): q
        for q in _questions(warehouse.rows)
        if any(topic.holds(q) for topic in TOPICS)
    }
    assert {(f["site"], f["question_id"]) for f in facts} == set(expected)
    both_sites = {f["question_id"] for f in facts if f["site"] == SO} & {
        f["question_id"] for f in facts if f["site"] == BEER
    }
    assert both_sites, "the fixture must have question ids on both sites"
    for fact in facts:
        want = expected[(fact["site"], fact["question_id"])]
        assert fact["title"] == want["title"]
        assert fact["response_minutes"] == _approx(want["response_minutes"])


def test_groups_are_every_other_question_of_the_site_and_window(
    warehouse: BuiltWarehouse,
) -> None:
    questions = _questions(warehouse.rows)
    actual = warehouse.query("select * from marts.fct_topic_question_groups")
    for topic in TOPICS:
        want = {
            (q["site"], q["question_id"]): (group, method)
            for group, (method, members) in _groups(topic, questions).items()
            for q in members
        }
        got = {
            (r["site"], r["question_id"]): (r["question_group"], r["sampling_method"])
            for r in actual
            if r["topic"] == topic.name
        }
        assert got == want, topic.name
    members = {
        topic.name: {
            (r["site"], r["question_id"])
            for r in actual
            if r["topic"] == topic.name and r["question_group"] == "topic"
        }
        for topic in TOPICS
    }
    shared = len(members["alpha"] & members["beta"])
    assert shared > 0, "some questions must belong to both alpha and beta"
    bridge = warehouse.query("select topic, site, question_id from marts.fct_topic_questions")
    assert {(r["topic"], r["site"], r["question_id"]) for r in bridge} == {
        (name, *key) for name, keys in members.items() for key in keys
    }


def test_difficulty_per_topic(warehouse: BuiltWarehouse) -> None:
    questions = _questions(warehouse.rows)
    rows = {
        (r["topic"], r["question_group"]): r
        for r in warehouse.query("select * from marts.rpt_difficulty")
    }
    assert set(rows) == {(t.name, g) for t in TOPICS for g in ("topic", "baseline")}
    for topic in TOPICS:
        for group, (method, members) in _groups(topic, questions).items():
            got = rows[(topic.name, group)]
            want = _metrics(members)
            assert got["window_start_date"] == topic.window_start
            assert got["window_end_date"] == topic.window_end
            assert got["response_minutes_method"] == method
            assert got["answers_per_view_method"] == method
            assert got["median_response_minutes"] == _approx(want["median_response_minutes"])
            assert got["answers_per_view"] == pytest.approx(want["answers_per_view"])
            if topic.name == "alpha" and group == "baseline":
                # Every window year has exact totals for alpha's site, tags and window.
                years = _window_years(topic)
                n_all = sum(10_000 + year for year, _, _ in years)
                n_topic = sum((10_000 + year) // 10 for year, _, _ in years)
                n_no_accepted = (6_000 - 600) * len(years)
                assert got["question_count_method"] == "exact_count"
                assert got["no_accepted_answer_rate_method"] == "exact_count"
                assert got["n_questions"] == n_all - n_topic
                assert got["no_accepted_answer_rate"] == pytest.approx(
                    n_no_accepted / (n_all - n_topic)
                )
                assert got["n_sampled"] == len(members)
            else:
                # beta's totals miss a window year; brew's baseline is the dump.
                assert got["question_count_method"] == method, (topic.name, group)
                assert got["n_questions"] == want["n_questions"]
                assert got["no_accepted_answer_rate"] == pytest.approx(
                    want["no_accepted_answer_rate"]
                )
                assert got["n_sampled"] == (len(members) if method == "random_sample" else None)


def test_popularity_per_topic(warehouse: BuiltWarehouse) -> None:
    """Each topic's and baseline's popularity: members, a dump population less the members, or
    the random sample (also for alpha, whose baseline is counted exactly)."""
    questions = _questions(warehouse.rows)
    rows = {
        (r["topic"], r["question_group"]): r
        for r in warehouse.query("select * from marts.rpt_difficulty")
    }
    for topic in TOPICS:
        for group, (method, members) in _groups(topic, questions).items():
            got = rows[(topic.name, group)]
            assert got["popularity_method"] == method, (topic.name, group)
            for key, value in popularity(members).items():
                assert got[key] == _approx(value), (topic.name, group, key)


def test_tag_frequency_per_topic(warehouse: BuiltWarehouse) -> None:
    questions = _questions(warehouse.rows)
    rows = warehouse.query("select * from marts.rpt_tag_frequency")
    assert {(r["topic"], r["tag"]) for r in rows} == {
        (t.name, tag) for t in TOPICS for tag in t.tags
    }
    for topic in TOPICS:
        members = _groups(topic, questions)["topic"][1]
        for row in (r for r in rows if r["topic"] == topic.name):
            n = sum(row["tag"] in q["tags"] for q in members)
            assert row["n_questions"] == n, (topic.name, row["tag"])
            assert row["n_topic_questions"] == len(members)
            assert row["in_initial_set"] is topic.tags[row["tag"]]


def test_popularity_per_topic_year(warehouse: BuiltWarehouse) -> None:
    questions = _questions(warehouse.rows)
    rows = warehouse.query("select * from marts.rpt_popularity_yearly")
    assert {(r["topic"], r["year"]) for r in rows} == {
        (t.name, year) for t in TOPICS for year, _, _ in _window_years(t)
    }
    for topic in TOPICS:
        members = _groups(topic, questions)["topic"][1]
        for year, first, last in _window_years(topic):
            (row,) = [r for r in rows if r["topic"] == topic.name and r["year"] == year]
            n = sum(datetime.fromtimestamp(q["creation_date"], UTC).year == year for q in members)
            n_days = (last - first).days + 1
            n_days_in_year = (date(year + 1, 1, 1) - date(year, 1, 1)).days
            assert row["n_topic_questions"] == n, (topic.name, year)
            assert row["n_days_in_window"] == n_days
            assert row["is_partial_year"] is (n_days < n_days_in_year)
            assert row["topic_questions_per_day"] == pytest.approx(n / n_days)
            assert row["annualised_topic_questions"] == pytest.approx(n / n_days * n_days_in_year)
            if topic.site == BEER:
                in_window = [
                    q
                    for q in questions
                    if topic.holds(q)
                    and datetime.fromtimestamp(q["creation_date"], UTC).year == year
                ]
                assert row["n_all_questions"] == len(in_window)
                assert row["n_all_questions_method"] == "full_population"
            elif topic.name == "alpha":
                assert row["n_all_questions"] == 10_000 + year
                assert row["n_all_questions_method"] == "exact_count"
    partial = {(r["topic"], r["year"]) for r in rows if r["is_partial_year"]}
    assert partial == {("alpha", 2019), ("alpha", 2020), ("beta", 2021), ("brew", 2019)}
