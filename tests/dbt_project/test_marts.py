"""The marts equal an independent Python computation over the same raw rows."""

from __future__ import annotations

import pytest
from statsmodels.stats.proportion import proportion_confint

from .conftest import BuiltWarehouse
from .expected import (
    difficulty,
    difficulty_intervals,
    popularity,
    questions_in_window,
    seed_topic_tags,
)

pytestmark = pytest.mark.slow


def _by_group(warehouse: BuiltWarehouse) -> dict[str, dict]:
    rows = warehouse.query("select * from marts.rpt_difficulty where topic = 'ptm'")
    return {row["question_group"]: row for row in rows}


def test_fct_questions_holds_each_window_question_once(api_warehouse: BuiltWarehouse) -> None:
    expected = {q["question_id"]: q for q in questions_in_window(api_warehouse.rows)}
    actual = api_warehouse.query("select * from marts.fct_questions")
    groups = {
        row["question_id"]: row["question_group"]
        for row in api_warehouse.query(
            "select question_id, question_group from marts.fct_topic_question_groups "
            "where topic = 'ptm'"
        )
    }
    assert len(actual) == len(expected)
    assert {row["question_id"] for row in actual} == set(expected)
    for row in actual:
        want = expected[row["question_id"]]
        assert row["site"] == "stackoverflow.com"
        assert groups[row["question_id"]] == want["question_group"]
        assert row["tags"] == want["tags"]
        assert row["has_accepted_answer"] == want["has_accepted_answer"]
        assert row["response_minutes"] == pytest.approx(want["response_minutes"])


def test_window_edges_are_inclusive(api_warehouse: BuiltWarehouse) -> None:
    ids = {row["question_id"] for row in api_warehouse.query("select * from marts.fct_questions")}
    # Questions 1-4: a second before the window, its first second, its last second, a second after.
    assert (1 in ids, 2 in ids, 3 in ids, 4 in ids) == (False, True, True, False)


@pytest.mark.parametrize("warehouse", ["api_warehouse", "dump_warehouse"])
def test_titles_are_decoded(warehouse: str, request: pytest.FixtureRequest) -> None:
    """Raw titles are HTML-encoded for every source (the dump loader encodes like the API)."""
    built: BuiltWarehouse = request.getfixturevalue(warehouse)
    row = built.query(
        "select facts.title, staged.title_html from marts.fct_questions as facts"
        " inner join staging.stg_stackexchange__questions as staged using (site, question_id)"
        " limit 1"
    )[0]
    assert row["title"].endswith('"x" & y\'s <b>')
    assert "&quot;" in row["title_html"]


def test_topic_difficulty_matches_python(api_warehouse: BuiltWarehouse) -> None:
    questions = questions_in_window(api_warehouse.rows)
    want = difficulty(q for q in questions if q["question_group"] == "topic")
    got = _by_group(api_warehouse)["topic"]
    assert got["question_count_method"] == "full_population"
    for key, value in want.items():
        assert got[key] == pytest.approx(value), key


def test_baseline_uses_exact_counts_and_the_sample(api_warehouse: BuiltWarehouse) -> None:
    questions = questions_in_window(api_warehouse.rows)
    sample = [q for q in questions if q["question_group"] == "baseline"]
    want = difficulty(sample)
    got = _by_group(api_warehouse)["baseline"]
    n_all = sum(1_000_000 + year for year in range(2018, 2024))
    n_topic = sum(1_000 + year for year in range(2018, 2024))
    n_all_no_acc = sum(600_000 + year for year in range(2018, 2024))
    n_topic_no_acc = sum(700 + year for year in range(2018, 2024))
    assert got["question_count_method"] == "exact_count"
    assert got["no_accepted_answer_rate_method"] == "exact_count"
    assert got["n_questions"] == n_all - n_topic
    assert got["no_accepted_answer_rate"] == pytest.approx(
        (n_all_no_acc - n_topic_no_acc) / (n_all - n_topic)
    )
    assert got["response_minutes_method"] == "random_sample"
    assert got["answers_per_view_method"] == "random_sample"
    assert got["n_sampled"] == len(sample)
    for key in ("median_response_minutes", "mean_response_minutes", "answers_per_view"):
        assert got[key] == pytest.approx(want[key]), key


def test_dump_baseline_is_full_population(dump_warehouse: BuiltWarehouse) -> None:
    questions = questions_in_window(dump_warehouse.rows)
    got = _by_group(dump_warehouse)
    for group in ("topic", "baseline"):
        want = difficulty(q for q in questions if q["question_group"] == group)
        assert got[group]["question_count_method"] == "full_population"
        assert got[group]["n_sampled"] is None
        for key, value in want.items():
            assert got[group][key] == pytest.approx(value), (group, key)
    assert got["topic"]["n_questions"] + got["baseline"]["n_questions"] == len(questions)


def test_tag_frequency_counts_multi_tag_questions_once_per_tag(
    api_warehouse: BuiltWarehouse,
) -> None:
    questions = [
        q for q in questions_in_window(api_warehouse.rows) if q["question_group"] == "topic"
    ]
    rows = {
        r["tag"]: r
        for r in api_warehouse.query("select * from marts.rpt_tag_frequency where topic = 'ptm'")
    }
    assert set(rows) == set(seed_topic_tags())
    for tag, row in rows.items():
        n = sum(1 for q in questions if tag in q["tags"])
        assert row["n_questions"] == n
        assert row["share_of_topic_questions"] == pytest.approx(n / len(questions))
    assert rows["huggingface-transformers"]["in_initial_set"] is True
    assert rows["openai-api"]["tag_kind"] == "vendor"


def test_difficulty_by_tag_matches_python(api_warehouse: BuiltWarehouse) -> None:
    questions = questions_in_window(api_warehouse.rows)
    for row in api_warehouse.query("select * from marts.rpt_difficulty_by_tag where topic = 'ptm'"):
        want = difficulty(q for q in questions if row["tag"] in q["tags"])
        for key, value in want.items():
            assert row[key] == pytest.approx(value), (row["tag"], key)


def test_popularity_yearly(api_warehouse: BuiltWarehouse, dump_warehouse: BuiltWarehouse) -> None:
    api_rows = api_warehouse.query(
        "select * from marts.rpt_popularity_yearly where topic = 'ptm' order by year"
    )
    questions = questions_in_window(api_warehouse.rows)
    assert [r["year"] for r in api_rows] == list(range(2018, 2024))
    for row in api_rows:
        n_topic = sum(
            1
            for q in questions
            if q["question_group"] == "topic"
            and 0 <= q["creation_date"] - _year_start(row["year"]) < _year_length(row["year"])
        )
        assert row["n_topic_questions"] == n_topic
        assert row["n_all_questions"] == 1_000_000 + row["year"]
        assert row["n_all_questions_method"] == "exact_count"
        assert row["is_partial_year"] == (row["year"] == 2023)
        assert row["n_days_in_window"] == (
            166 if row["year"] == 2023 else _year_length(row["year"]) // 86_400
        )
        assert row["annualised_topic_questions"] == pytest.approx(
            n_topic * (365 / 166 if row["year"] == 2023 else 1)
        )
    dump_rows = dump_warehouse.query(
        "select * from marts.rpt_popularity_yearly where topic = 'ptm'"
    )
    assert sum(r["n_all_questions"] or 0 for r in dump_rows) == len(
        questions_in_window(dump_warehouse.rows)
    )


def test_response_time_distribution(api_warehouse: BuiltWarehouse) -> None:
    questions = questions_in_window(api_warehouse.rows)
    rows = api_warehouse.query(
        "select * from marts.rpt_response_time_distribution where topic = 'ptm' "
        "order by question_group, bucket_index"
    )
    for group in ("topic", "baseline"):
        minutes = [
            q["response_minutes"]
            for q in questions
            if q["question_group"] == group and q["response_minutes"] is not None
        ]
        group_rows = [r for r in rows if r["question_group"] == group]
        assert sum(r["n_questions"] for r in group_rows) == len(minutes)
        assert group_rows[-1]["cumulative_share"] == pytest.approx(1.0)
        assert group_rows[0]["p50_minutes"] == pytest.approx(_median(minutes))
        for row in group_rows:
            inside = [
                m for m in minutes if row["bucket_low_minutes"] <= m < row["bucket_high_minutes"]
            ]
            assert row["n_questions"] == len(inside)


def test_tag_candidates(api_warehouse: BuiltWarehouse) -> None:
    rows = {
        r["tag"]: r
        for r in api_warehouse.query("select * from marts.rpt_tag_candidates where topic = 'ptm'")
    }
    assert not set(rows) & set(seed_topic_tags())
    assert rows["nlp"]["is_related_tag"] and rows["nlp"]["is_co_occurring"]
    assert rows["langchain"]["is_related_tag"] and not rows["langchain"]["is_co_occurring"]
    assert "gpt-3" not in rows


def test_topic_intervals_match_python(api_warehouse: BuiltWarehouse) -> None:
    questions = questions_in_window(api_warehouse.rows)
    want = difficulty_intervals(q for q in questions if q["question_group"] == "topic")
    _assert_intervals(_by_group(api_warehouse)["topic"], want, "topic")


def test_baseline_intervals_use_exact_counts_and_the_sample(api_warehouse: BuiltWarehouse) -> None:
    questions = questions_in_window(api_warehouse.rows)
    want = difficulty_intervals(q for q in questions if q["question_group"] == "baseline")
    got = _by_group(api_warehouse)["baseline"]
    rate_low, rate_high = proportion_confint(
        got["n_no_accepted_answer"], got["n_questions"], alpha=0.05, method="wilson"
    )
    want["no_accepted_answer_rate_ci_low"] = rate_low
    want["no_accepted_answer_rate_ci_high"] = rate_high
    _assert_intervals(got, want, "baseline")
    assert rate_high - rate_low < 0.001  # millions of exactly counted questions


def test_dump_intervals_match_python(dump_warehouse: BuiltWarehouse) -> None:
    questions = questions_in_window(dump_warehouse.rows)
    got = _by_group(dump_warehouse)
    for group in ("topic", "baseline"):
        want = difficulty_intervals(q for q in questions if q["question_group"] == group)
        _assert_intervals(got[group], want, group)


def test_difficulty_by_tag_intervals_match_python(api_warehouse: BuiltWarehouse) -> None:
    questions = questions_in_window(api_warehouse.rows)
    for row in api_warehouse.query("select * from marts.rpt_difficulty_by_tag where topic = 'ptm'"):
        want = difficulty_intervals(q for q in questions if row["tag"] in q["tags"])
        _assert_intervals(row, want, row["tag"])


def test_popularity_of_topic_and_sampled_baseline_matches_python(
    api_warehouse: BuiltWarehouse,
) -> None:
    """The topic's members, and a baseline counted exactly whose popularity is its sample's; the
    API loader writes no favourite counts, so their means are null."""
    questions = questions_in_window(api_warehouse.rows)
    got = _by_group(api_warehouse)
    assert got["baseline"]["question_count_method"] == "exact_count"
    for group, method in (("topic", "full_population"), ("baseline", "random_sample")):
        want = popularity(q for q in questions if q["question_group"] == group)
        assert got[group]["popularity_method"] == method
        assert got[group]["mean_favorite_count"] is None
        _assert_popularity(got[group], want, group)


def test_dump_popularity_matches_python(dump_warehouse: BuiltWarehouse) -> None:
    """A dump baseline's popularity is its population's sums less the members'; some questions
    have no favourite count and are left out of that mean."""
    questions = questions_in_window(dump_warehouse.rows)
    got = _by_group(dump_warehouse)
    for group in ("topic", "baseline"):
        want = popularity(q for q in questions if q["question_group"] == group)
        assert got[group]["popularity_method"] == "full_population"
        assert want["mean_favorite_count"] is not None
        _assert_popularity(got[group], want, group)
    assert any(q["favorite_count"] is None for q in questions)


@pytest.mark.parametrize("warehouse", ["api_warehouse", "dump_warehouse"])
def test_popularity_by_tag_matches_python(warehouse: str, request: pytest.FixtureRequest) -> None:
    built: BuiltWarehouse = request.getfixturevalue(warehouse)
    questions = questions_in_window(built.rows)
    rows = built.query("select * from marts.rpt_difficulty_by_tag where topic = 'ptm'")
    assert rows
    for row in rows:
        want = popularity(q for q in questions if row["tag"] in q["tags"])
        _assert_popularity(row, want, row["tag"])


def _assert_popularity(got: dict, want: dict[str, float | int | None], label: str) -> None:
    for key, value in want.items():
        if value is None:
            assert got[key] is None, (label, key)
        else:
            assert got[key] == pytest.approx(value, rel=1e-9, abs=1e-9), (label, key)


def _assert_intervals(got: dict, want: dict[str, float | None], label: str) -> None:
    for key, value in want.items():
        if value is None:
            assert got[key] is None, (label, key)
        else:
            assert got[key] == pytest.approx(value, rel=1e-9, abs=1e-12), (label, key)
        estimate = got[key.removesuffix("_ci_low").removesuffix("_ci_high")]
        if got[key] is not None and key.endswith("_ci_low"):
            assert got[key] <= estimate, (label, key)
        if got[key] is not None and key.endswith("_ci_high"):
            assert estimate <= got[key], (label, key)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _year_start(year: int) -> int:
    from datetime import UTC, datetime

    return int(datetime(year, 1, 1, tzinfo=UTC).timestamp())


def _year_length(year: int) -> int:
    return _year_start(year + 1) - _year_start(year)
