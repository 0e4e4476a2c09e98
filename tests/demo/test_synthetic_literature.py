"""The synthetic sample's literature topics (§V): calibrated baseline subsets, tagged from the seed.

Expected values are computed here in plain Python from the generated items and the seed file, not
with the generator's helpers, so a wrong helper cannot hide behind itself."""

from __future__ import annotations

import collections
import csv
import datetime as dt
import statistics
from pathlib import Path

import pytest

from demo.replay_api.dataset import ApiDataset
from demo.replay_api.routes import DatasetIndex, route
from demo.synthetic import build_synthetic_dataset
from demo.synthetic import calibration as cal

SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "topic_tags.csv"
PTM = set(cal.TABLE_I_TAG_COUNTS)
# §V: big data [30], concurrency [26], mobile [27] (share without an accepted answer, median
# minutes to the accepted answer); security [28]: PD 0.07 against the baseline's 0.12.
NO_ACCEPTED = {"bigdata": 0.605, "concurrency": 0.438, "mobile": 0.550}
MEDIAN_MINUTES = {"bigdata": 198.0, "concurrency": 42.0, "mobile": 55.0}
SECURITY_PD_RATIO = 0.07 / 0.12
LITERATURE_TOPICS = ("bigdata", "concurrency", "mobile", "security")
"""The §V topics the synthetic sample calibrates (the seeds also hold ptm and real topics)."""


def _seed_tags() -> dict[str, list[str]]:
    with SEED.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    topics: dict[str, list[str]] = collections.defaultdict(list)
    for row in rows:
        if row["topic"] in LITERATURE_TOPICS:
            topics[row["topic"]].append(row["tag"])
    return dict(topics)


TOPICS = _seed_tags()


@pytest.fixture(scope="module")
def dataset() -> ApiDataset:
    return build_synthetic_dataset()


@pytest.fixture(scope="module")
def baseline(dataset: ApiDataset) -> list[dict]:
    """Questions in the window without a PTM tag (the paper's baseline)."""
    return [
        q
        for q in dataset.questions
        if cal.WINDOW_START <= q["creation_date"] <= cal.WINDOW_END and not PTM & set(q["tags"])
    ]


def _members(questions: list[dict], topic: str) -> list[dict]:
    return [q for q in questions if set(TOPICS[topic]) & set(q["tags"])]


def _no_accepted(questions: list[dict]) -> float:
    return sum("accepted_answer_id" not in q for q in questions) / len(questions)


def _median_minutes(questions: list[dict], dataset: ApiDataset) -> float:
    created = {a["answer_id"]: a["creation_date"] for a in dataset.answers}
    return statistics.median(
        (created[q["accepted_answer_id"]] - q["creation_date"]) / 60
        for q in questions
        if "accepted_answer_id" in q
    )


def _pd(questions: list[dict]) -> float:
    return sum(q["answer_count"] for q in questions) / sum(q["view_count"] for q in questions)


def test_seed_defines_the_four_literature_topics() -> None:
    assert set(TOPICS) == set(LITERATURE_TOPICS)


@pytest.mark.parametrize("topic", sorted(NO_ACCEPTED))
def test_no_accepted_answer_rate_matches_section_v(baseline: list[dict], topic: str) -> None:
    assert _no_accepted(_members(baseline, topic)) == pytest.approx(NO_ACCEPTED[topic], abs=0.005)


@pytest.mark.parametrize("topic", sorted(MEDIAN_MINUTES))
def test_median_response_minutes_match_section_v(
    dataset: ApiDataset, baseline: list[dict], topic: str
) -> None:
    median = _median_minutes(_members(baseline, topic), dataset)
    assert median == pytest.approx(MEDIAN_MINUTES[topic], rel=0.03)


def test_security_pd_ratio_against_the_rest_of_the_baseline(baseline: list[dict]) -> None:
    security = _members(baseline, "security")
    rest = [q for q in baseline if not set(TOPICS["security"]) & set(q["tags"])]
    assert _pd(security) / _pd(rest) == pytest.approx(SECURITY_PD_RATIO, abs=0.02)
    assert _pd(security) / _pd(baseline) == pytest.approx(SECURITY_PD_RATIO, abs=0.02)


def test_security_keeps_the_baselines_other_figures(
    dataset: ApiDataset, baseline: list[dict]
) -> None:
    security = _members(baseline, "security")
    assert _no_accepted(security) == pytest.approx(_no_accepted(baseline), abs=0.005)
    assert _median_minutes(security, dataset) == pytest.approx(
        _median_minutes(baseline, dataset), rel=0.03
    )


def test_every_seed_tag_is_carried(baseline: list[dict]) -> None:
    carried = collections.Counter(t for q in baseline for t in q["tags"])
    for topic, tags in TOPICS.items():
        assert [t for t in tags if carried[t] == 0] == [], topic


def test_topics_are_sized_tagged_and_spread_like_real_data(baseline: list[dict]) -> None:
    sizes = {topic: len(_members(baseline, topic)) for topic in TOPICS}
    assert all(1_000 <= n <= 3_000 for n in sizes.values()), sizes
    assert max(sizes, key=sizes.get) == "mobile"
    for topic, tags in TOPICS.items():
        members = _members(baseline, topic)
        per_question = collections.Counter(len(set(tags) & set(q["tags"])) for q in members)
        assert set(per_question) <= {1, 2, 3} and per_question[2] + per_question[3] > 0, topic
        counts = collections.Counter(t for q in members for t in q["tags"] if t in tags)
        assert max(counts, key=counts.get) == tags[0], topic
        years = collections.Counter(
            dt.datetime.fromtimestamp(q["creation_date"], dt.UTC).year for q in members
        )
        assert set(years) == set(cal.YEARS), topic
        assert all(len(q["tags"]) <= 5 for q in members)


def test_literature_tags_are_in_the_served_tag_metadata(
    dataset: ApiDataset, baseline: list[dict]
) -> None:
    info = {item["name"]: item["count"] for item in dataset.tag_info}
    carried = collections.Counter(t for q in dataset.questions for t in q["tags"])
    for tags in TOPICS.values():
        for tag in tags:
            assert info[tag] == carried[tag], tag
            related = dataset.related_tags[tag]
            assert related, tag
            co_occurring = collections.Counter(
                other for q in dataset.questions if tag in q["tags"] for other in q["tags"]
            )
            assert all(item["count"] == co_occurring[item["name"]] for item in related), tag
    related_names = {item["name"] for item in dataset.related_tags[TOPICS["bigdata"][1]]}
    assert TOPICS["bigdata"][0] in related_names
    index = DatasetIndex(dataset)
    every_tag = [t for tags in TOPICS.values() for t in tags]
    served, _ = route(index, f"/tags/{';'.join(every_tag)}/info", {"site": "stackoverflow.com"})
    assert [item["name"] for item in served] == every_tag
    for tag in every_tag:
        related, _ = route(index, f"/tags/{tag}/related", {"site": "stackoverflow.com"})
        assert related == dataset.related_tags[tag]


def test_other_topic_tags_give_no_literature_topics() -> None:
    data = build_synthetic_dataset(seed=3, n_baseline=2_000, topic_tags=["gpt-4"])
    literature = {t for tags in TOPICS.values() for t in tags}
    assert not literature & set(data.related_tags)


def test_another_seed_meets_the_same_targets() -> None:
    data = build_synthetic_dataset(seed=7)
    inside = [
        q
        for q in data.questions
        if cal.WINDOW_START <= q["creation_date"] <= cal.WINDOW_END and not PTM & set(q["tags"])
    ]
    for topic, rate in NO_ACCEPTED.items():
        members = _members(inside, topic)
        assert _no_accepted(members) == pytest.approx(rate, abs=0.005), topic
        assert _median_minutes(members, data) == pytest.approx(MEDIAN_MINUTES[topic], rel=0.03)
    security = _members(inside, "security")
    rest = [q for q in inside if not set(TOPICS["security"]) & set(q["tags"])]
    assert _pd(security) / _pd(rest) == pytest.approx(SECURITY_PD_RATIO, abs=0.02)
