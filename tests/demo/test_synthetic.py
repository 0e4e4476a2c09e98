"""The synthetic sample: determinism, API shapes, calibration to the paper, id-space invariants."""

from __future__ import annotations

import collections
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from demo.replay_api.dataset import ApiDataset
from demo.synthetic import build_synthetic_dataset
from demo.synthetic import calibration as cal

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
REAL_QUESTIONS = (
    REAL / "se-api23-questions-tagged-python-2023" / "questions_tagged_python_2023-01-08.json"
)
REAL_ANSWERS = REAL / "se-api22-ruby-stackoverflow-vcr" / "questions_answers.json"
TOPIC = set(cal.TABLE_I_TAG_COUNTS)
OPTIONAL_QUESTION_KEYS = {"content_license", "last_edit_date", "closed_date", "closed_reason"}


@pytest.fixture(scope="module")
def dataset() -> ApiDataset:
    return build_synthetic_dataset()


@pytest.fixture(scope="module")
def window(dataset: ApiDataset) -> tuple[list[dict], list[dict]]:
    """(topic, baseline) questions created inside the window."""
    inside = [
        q for q in dataset.questions if cal.WINDOW_START <= q["creation_date"] <= cal.WINDOW_END
    ]
    return [q for q in inside if TOPIC & set(q["tags"])], [
        q for q in inside if not TOPIC & set(q["tags"])
    ]


@pytest.fixture(scope="module")
def answers_by_id(dataset: ApiDataset) -> dict[int, dict]:
    return {a["answer_id"]: a for a in dataset.answers}


def _serialised(data: ApiDataset) -> str:
    fields = [
        data.questions,
        data.answers,
        data.tag_info,
        data.related_tags,
        data.site,
        data.is_synthetic,
    ]
    return json.dumps(fields)


def _no_accepted_answer_rate(questions: list[dict]) -> float:
    return float(np.mean(["accepted_answer_id" not in q for q in questions]))


def _response_minutes(questions: list[dict], answers_by_id: dict[int, dict]) -> np.ndarray:
    return np.array(
        [
            (answers_by_id[q["accepted_answer_id"]]["creation_date"] - q["creation_date"]) / 60
            for q in questions
            if "accepted_answer_id" in q
        ]
    )


def _answers_per_view(questions: list[dict]) -> float:
    return np.mean([q["answer_count"] for q in questions]) / np.mean(
        [q["view_count"] for q in questions]
    )


def _per_year(questions: list[dict], tag: str | None = None) -> dict[int, int]:
    years = collections.Counter(
        dt.datetime.fromtimestamp(q["creation_date"], dt.UTC).year
        for q in questions
        if tag is None or tag in q["tags"]
    )
    return {y: years[y] for y in cal.YEARS}


# --- determinism ----------------------------------------------------------------------------------


def test_same_seed_gives_byte_identical_dataset(dataset: ApiDataset) -> None:
    assert _serialised(build_synthetic_dataset()) == _serialised(dataset)


def test_other_seed_gives_other_dataset() -> None:
    first = build_synthetic_dataset(seed=1, n_baseline=500)
    second = build_synthetic_dataset(seed=2, n_baseline=500)
    assert _serialised(first) != _serialised(second)
    assert [q["question_id"] for q in first.questions] != [
        q["question_id"] for q in second.questions
    ]


def test_dataset_is_flagged_synthetic(dataset: ApiDataset) -> None:
    assert dataset.is_synthetic is True
    assert dataset.site == "stackoverflow.com"
    assert dataset.collected_at == cal.COLLECTED_AT


def test_the_replay_dates_its_responses_at_the_synthetic_crawl() -> None:
    """The loader takes `collected_at` from the HTTP `Date`: the sample's is its notional crawl."""
    import urllib.request
    from email.utils import parsedate_to_datetime

    from demo.replay_api import serve

    crawled = ApiDataset(collected_at=cal.COLLECTED_AT)
    with serve(crawled) as url:
        with urllib.request.urlopen(f"{url}/questions?site=stackoverflow.com") as response:
            date_header = response.headers["Date"]
    assert parsedate_to_datetime(date_header).timestamp() == cal.COLLECTED_AT
    assert date_header == "Fri, 30 Jun 2023 00:00:00 GMT"


# --- shapes ---------------------------------------------------------------------------------------


def test_question_items_have_the_real_pages_keys(dataset: ApiDataset) -> None:
    real_items = json.loads(REAL_QUESTIONS.read_text())["items"]
    real_keys = set().union(*(item.keys() for item in real_items))
    always = set.intersection(*(set(item) for item in real_items))
    real_owner_keys = set(real_items[0]["owner"])
    for question in dataset.questions:
        assert always <= set(question), question["question_id"]
        assert set(question) <= real_keys | {"body", "accepted_answer_id"} | OPTIONAL_QUESTION_KEYS
        assert all(value is not None for value in question.values())
        if question["owner"]["user_type"] == "registered":
            assert set(question["owner"]) == real_owner_keys
    real_types = {key: type(value) for item in real_items for key, value in item.items()}
    sample = dataset.questions[len(dataset.questions) // 2]
    assert {k: type(v) for k, v in sample.items() if k in real_types} == {
        k: real_types[k] for k in sample if k in real_types
    }


def test_answer_items_have_the_real_pages_keys(dataset: ApiDataset) -> None:
    real_keys = set(json.loads(REAL_ANSWERS.read_text())["items"][0])
    for answer in dataset.answers[:2000]:
        assert set(answer) == real_keys | {"content_license"}


def test_optional_fields_occur_and_closed_questions_lack_a_licence(dataset: ApiDataset) -> None:
    closed = [q for q in dataset.questions if "closed_date" in q]
    assert 0 < len(closed) < 0.06 * len(dataset.questions)
    assert all("content_license" not in q and "closed_reason" in q for q in closed)
    edited = [q for q in dataset.questions if "last_edit_date" in q]
    assert 0.3 < len(edited) / len(dataset.questions) < 0.5
    assert all(q["creation_date"] <= q["last_edit_date"] <= q["last_activity_date"] for q in edited)
    licences = collections.Counter(q.get("content_license") for q in dataset.questions)
    assert licences["CC BY-SA 3.0"] > 0 and licences["CC BY-SA 4.0"] > licences["CC BY-SA 3.0"]


def test_titles_are_html_encoded_and_links_carry_slugs(dataset: ApiDataset) -> None:
    titles = [q["title"] for q in dataset.questions]
    for entity in ("&amp;", "&#39;", "&quot;", "&lt;"):
        assert any(entity in title for title in titles), entity
    assert not any("<" in title or ">" in title for title in titles)
    assert "How to use &lt;script&gt; tag with BERT?" in titles
    question = next(
        q for q in dataset.questions if q["title"] == "How to use &lt;script&gt; tag with BERT?"
    )
    assert question["link"] == (
        f"https://stackoverflow.com/questions/{question['question_id']}/how-to-use-script-tag-with-bert"
    )
    assert len(set(titles)) > 0.5 * len(titles)


def test_bodies_are_html_paragraphs_some_with_code(dataset: ApiDataset) -> None:
    bodies = [q["body"] for q in dataset.questions]
    assert all(body.startswith("<p>") for body in bodies)
    assert 0.3 < np.mean(["<pre><code>" in body for body in bodies]) < 0.7


# --- calibration (paper §III-§VI) -----------------------------------------------------------------


def test_topic_count_and_table_i_tag_counts(window: tuple[list[dict], list[dict]]) -> None:
    topic, _ = window
    assert len(topic) == cal.TOPIC_QUESTIONS
    counts = collections.Counter(t for q in topic for t in q["tags"] if t in TOPIC)
    for tag, expected in cal.TABLE_I_TAG_COUNTS.items():
        assert abs(counts[tag] - expected) <= 0.03 * expected, tag
    assert sum(len(TOPIC & set(q["tags"])) > 1 for q in topic) > 1000
    assert all(len(q["tags"]) <= 5 for q in topic)


def test_yearly_growth_of_topic_questions(window: tuple[list[dict], list[dict]]) -> None:
    topic, _ = window
    per_year = list(_per_year(topic).values())
    assert all(later > earlier for earlier, later in zip(per_year, per_year[1:], strict=False))
    assert per_year[0] < 100
    assert _per_year(topic)[2022] > 2000


@pytest.mark.parametrize(
    ("tag", "from_year"),
    [
        ("huggingface-transformers", 2019),
        ("bert-language-model", 2019),
        ("pre-trained-model", 2021),
        ("huggingface", 2021),
    ],
)
def test_tags_grow_most_when_the_paper_says(
    window: tuple[list[dict], list[dict]], tag: str, from_year: int
) -> None:
    counts = _per_year(window[0], tag)
    growth = {y: counts[y + 1] - counts[y] for y in cal.YEARS[:-1]}
    assert max(growth, key=growth.get) == from_year


@pytest.mark.parametrize("tag", ["openai-api", "chatgpt-api", "gpt-4"])
def test_openai_tags_are_mostly_2023(window: tuple[list[dict], list[dict]], tag: str) -> None:
    counts = _per_year(window[0], tag)
    assert counts[2023] > 0.8 * sum(counts.values())


def test_no_accepted_answer_rates(window: tuple[list[dict], list[dict]]) -> None:
    topic, baseline = window
    assert _no_accepted_answer_rate(topic) == pytest.approx(0.739, abs=0.015)
    assert _no_accepted_answer_rate(baseline) == pytest.approx(0.578, abs=0.015)
    for tag, target in cal.TABLE_II_NO_ACCEPTED_ANSWER_RATE.items():
        rate = _no_accepted_answer_rate([q for q in topic if tag in q["tags"]])
        assert rate == pytest.approx(target, abs=0.03), tag


def test_response_minutes_medians_and_means(
    window: tuple[list[dict], list[dict]], answers_by_id: dict[int, dict]
) -> None:
    topic = _response_minutes(window[0], answers_by_id)
    baseline = _response_minutes(window[1], answers_by_id)
    assert np.median(topic) == pytest.approx(851, rel=0.15)
    assert np.mean(topic) == pytest.approx(22_676, rel=0.20)
    assert np.median(baseline) == pytest.approx(55, rel=0.15)
    assert np.mean(baseline) == pytest.approx(9_745, rel=0.20)
    assert topic.min() >= 1 and baseline.min() >= 1


def test_answers_per_view_ratio_with_realistic_views(window: tuple[list[dict], list[dict]]) -> None:
    topic, baseline = window
    assert 0.4 <= _answers_per_view(topic) / _answers_per_view(baseline) <= 0.6
    views = np.array([q["view_count"] for q in topic + baseline])
    assert 100 <= np.median(views) <= 3000
    assert views.max() > 20 * np.median(views)
    ratio = {
        tag: _answers_per_view([q for q in topic if tag in q["tags"]]) / _answers_per_view(topic)
        for tag in cal.TABLE_II_ANSWERS_PER_VIEW
    }
    assert max(ratio, key=ratio.get) == "huggingface"
    assert ratio["openai-api"] > ratio["pre-trained-model"] > ratio["bert-language-model"]


def test_score_counts_for_the_annotation_sampler(window: tuple[list[dict], list[dict]]) -> None:
    scores = np.array([q["score"] for q in window[0]])
    assert (scores >= 1).sum() == pytest.approx(2829, rel=0.02)
    assert (scores >= 9).sum() == pytest.approx(116, rel=0.05)
    assert (scores < 0).sum() > 0


# --- baseline and window edges --------------------------------------------------------------------


def test_baseline_has_no_topic_tag_and_exercises_url_encoding(
    window: tuple[list[dict], list[dict]],
) -> None:
    _, baseline = window
    assert len(baseline) >= 52_000
    tags = collections.Counter(t for q in baseline for t in q["tags"])
    assert not TOPIC & set(tags)
    assert {"c#", "c++", ".net", "python", "javascript", "java", "reactjs", "sql"} <= set(tags)


def test_questions_just_outside_the_window_exist(dataset: ApiDataset) -> None:
    days = collections.Counter(
        dt.datetime.fromtimestamp(q["creation_date"], dt.UTC).date().isoformat()
        for q in dataset.questions
        if not cal.WINDOW_START <= q["creation_date"] <= cal.WINDOW_END
    )
    assert set(days) == {"2017-12-31", "2023-06-16"}
    assert min(days.values()) >= 2


# --- id space and answers -------------------------------------------------------------------------


def test_post_ids_are_unique_and_increase_with_creation_time(dataset: ApiDataset) -> None:
    posts = [(q["creation_date"], q["question_id"]) for q in dataset.questions]
    posts += [(a["creation_date"], a["answer_id"]) for a in dataset.answers]
    ids = [post_id for _, post_id in posts]
    assert len(ids) == len(set(ids))
    by_time = [post_id for _, post_id in sorted(posts)]
    assert by_time == sorted(by_time)
    in_window = [
        q["question_id"] for q in dataset.questions if q["creation_date"] >= cal.WINDOW_START
    ]
    assert 47_500_000 < min(in_window) < 48_500_000
    assert 48_150_000 < max(ids) < 48_400_000
    # as on Stack Overflow, roughly one id in three is a question; the rest answers or gaps
    assert 0.2 < len(in_window) / (max(in_window) - min(in_window)) < 0.5
    assert len(ids) < 0.9 * (max(ids) - min(ids))


def test_answers_match_their_questions(dataset: ApiDataset, answers_by_id: dict[int, dict]) -> None:
    per_question = collections.defaultdict(list)
    for answer in dataset.answers:
        per_question[answer["question_id"]].append(answer)
    for question in dataset.questions:
        answers = per_question[question["question_id"]]
        assert question["answer_count"] == len(answers)
        assert all(a["creation_date"] > question["creation_date"] for a in answers)
        assert question["last_activity_date"] >= max(
            [question["creation_date"], *(a["last_activity_date"] for a in answers)]
        )
        accepted = [a for a in answers if a["is_accepted"]]
        if "accepted_answer_id" in question:
            assert question["is_answered"]
            assert [a["answer_id"] for a in accepted] == [question["accepted_answer_id"]]
            assert (
                answers_by_id[question["accepted_answer_id"]]["question_id"]
                == question["question_id"]
            )
        else:
            assert accepted == []
    assert any(q["is_answered"] and "accepted_answer_id" not in q for q in dataset.questions)
    latest = max(a["last_activity_date"] for a in dataset.answers)
    assert latest <= cal.COLLECTED_AT


# --- tags -----------------------------------------------------------------------------------------


def test_tag_info_covers_topic_and_baseline_tags(dataset: ApiDataset) -> None:
    info = {item["name"]: item for item in dataset.tag_info}
    assert TOPIC | {"python", "javascript", "c#", "c++", ".net"} <= set(info)
    assert info["huggingface-transformers"]["count"] >= 2563
    for item in dataset.tag_info:
        assert set(item) == {"has_synonyms", "is_moderator_only", "is_required", "count", "name"}


def test_related_tags_offer_snowball_candidates(dataset: ApiDataset) -> None:
    assert set(dataset.related_tags) >= TOPIC
    related = dataset.related_tags["huggingface-transformers"]
    counts = [item["count"] for item in related]
    assert counts == sorted(counts, reverse=True)
    assert "bert-language-model" in {item["name"] for item in related}
    everywhere = {item["name"] for items in dataset.related_tags.values() for item in items}
    candidates = {"transformer-model", "nlp", "pytorch", "langchain", "large-language-model"}
    assert candidates | {"llama", "sentence-similarity"} <= everywhere


# --- other configurations -------------------------------------------------------------------------


def test_custom_topic_tags_build_a_consistent_sample() -> None:
    data = build_synthetic_dataset(
        seed=3, n_baseline=300, topic_tags=["gpt-4", "python", "my-new-tag"]
    )
    tags = collections.Counter(t for q in data.questions for t in q["tags"])
    assert tags["gpt-4"] >= 22 and tags["my-new-tag"] > 0
    baseline = [q for q in data.questions if not {"gpt-4", "python", "my-new-tag"} & set(q["tags"])]
    assert len(baseline) >= 300
    assert set(data.related_tags) == {"gpt-4", "python", "my-new-tag"}


def test_empty_tag_list_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="topic_tags is empty"):
        build_synthetic_dataset(topic_tags=[])
