"""run_analysis over a small generated warehouse: contract tables, values, reruns, failures."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pytest
import scipy.stats

from analysis_py import marts, runner, store
from analysis_py.bootstrap import derive_rng
from analysis_py.marts import MartsMissingError, connect_read_only, load_topic
from analysis_py.runner import run_analysis
from analysis_py.stats import (
    bootstrap_difference,
    censor_at_collection,
    kaplan_meier,
    logrank_test,
    mann_whitney_test,
    median_replicates,
    proportion_test,
)
from tests.fakes.group_figures import fill_group_figures

TOPIC = "ptm"
TOPIC_TAGS = ("huggingface-transformers", "bert-language-model", "openai-api")
SITE = "stackoverflow.com"
WINDOW_START = datetime(2018, 1, 1)
WINDOW_MINUTES = 5 * 365 * 24 * 60
COLLECTED_AT = datetime(2023, 6, 30)
N_BOOTSTRAP = 200


def make_questions(n_topic: int = 600, n_baseline: int = 3000, seed: int = 7) -> pa.Table:
    """`marts.fct_questions` rows: the first `n_topic` carry topic tags (and often `pytorch`, a
    frequent tag that is no seed tag and absent from the baseline), the others do not."""
    rng = np.random.default_rng(seed)
    n = n_topic + n_baseline
    is_topic = np.arange(n) < n_topic
    accepted = np.where(is_topic, rng.random(n) < 0.26, rng.random(n) < 0.42)
    response = np.where(is_topic, rng.lognormal(6.7, 2.0, n), rng.lognormal(4.0, 2.0, n)).round()
    created = [WINDOW_START + timedelta(minutes=int(m)) for m in rng.integers(0, WINDOW_MINUTES, n)]
    tags = []
    for topic_row in is_topic:
        if topic_row:
            own = list(rng.choice(TOPIC_TAGS, size=rng.integers(1, 3), replace=False))
            tags.append(own + ["python"] + (["pytorch"] if rng.random() < 0.5 else []))
        else:
            tags.append(["python"] if rng.random() < 0.5 else ["javascript"])
    return pa.table(
        {
            "site": [SITE] * n,
            "question_id": np.arange(1, n + 1),
            "tags": pa.array(tags, type=pa.list_(pa.string())),
            "created_at": pa.array(created, type=pa.timestamp("us")),
            "collected_at": pa.array([COLLECTED_AT] * n, type=pa.timestamp("us")),
            "has_accepted_answer": accepted,
            "response_minutes": pa.array(np.where(accepted, response, np.nan), from_pandas=True),
            "answer_count": rng.poisson(np.where(is_topic, 0.9, 1.4)),
            "view_count": rng.poisson(np.where(is_topic, 15, 12)) + 1,
            "score": rng.integers(-2, 10, n),
            "data_source": ["api"] * n,
            "is_synthetic": np.ones(n, dtype=bool),
        }
    )


def topic_groups(topic: str, topic_ids: list[int], baseline_ids: list[int]) -> list[dict]:
    """Rows of `marts.fct_topic_question_groups` for one topic with a random-sample baseline."""
    return [
        {
            "topic": topic,
            "site": SITE,
            "question_id": question_id,
            "question_group": group,
            "sampling_method": "full_population" if group == "topic" else "random_sample",
        }
        for group, ids in (("topic", topic_ids), ("baseline", baseline_ids))
        for question_id in ids
    ]


def write_marts(
    path: Path,
    questions: pa.Table,
    groups: list[dict],
    seed_tags: dict[str, tuple[str, ...]],
    *,
    exact_baseline: bool = False,
) -> Path:
    """Write the marts the analysis reads, shaped as the dbt marts shape them: the groups' one
    definition, the questions, `rpt_difficulty` counted from the groups, `rpt_tag_frequency`."""
    seed_rows = pa.Table.from_pylist(
        [{"topic": topic, "tag": tag} for topic, tags in seed_tags.items() for tag in tags]
    )
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists marts")
        con.register("generated", questions)
        con.register("generated_groups", pa.Table.from_pylist(groups))
        con.register("generated_seed_tags", seed_rows)
        con.execute("create or replace table marts.fct_questions as select * from generated")
        con.execute("create schema if not exists seeds")
        con.execute(
            "create or replace table seeds.topics as select topic, $site as site,"
            " date '2018-01-01' as window_start, date '2023-06-15' as window_end"
            " from (select distinct topic from generated_seed_tags)",
            {"site": SITE},
        )
        con.execute(
            "create or replace table marts.fct_topic_question_groups as"
            " select * from generated_groups"
        )
        baseline_method = "exact_count" if exact_baseline else "random_sample"
        con.execute(
            f"""
            create or replace table marts.rpt_difficulty as
            select
                groups.topic,
                groups.question_group,
                count(*) as n_questions,
                count(*) filter (where not has_accepted_answer) as n_no_accepted_answer,
                avg((not has_accepted_answer)::int) as no_accepted_answer_rate,
                count(response_minutes) as n_with_response_time,
                median(response_minutes) as median_response_minutes,
                avg(answer_count) / avg(view_count) as answers_per_view,
                case when groups.question_group = 'topic' then 'full_population'
                    else 'random_sample' end as question_count_method,
                case when groups.question_group = 'topic' then 'full_population'
                    else '{baseline_method}' end as no_accepted_answer_rate_method,
                question_count_method as response_minutes_method,
                question_count_method as answers_per_view_method
            from marts.fct_topic_question_groups as groups
            inner join marts.fct_questions as questions using (site, question_id)
            group by 1, 2
            """
        )
        con.execute(
            """
            create or replace table marts.rpt_tag_frequency as
            select seed.topic, seed.tag, count(groups.question_id) as n_questions
            from generated_seed_tags as seed
            left join marts.fct_topic_question_groups as groups
                on groups.topic = seed.topic and groups.question_group = 'topic'
            left join marts.fct_questions as questions
                on questions.site = groups.site and questions.question_id = groups.question_id
                and list_contains(questions.tags, seed.tag)
            group by 1, 2
            """
        )
        if exact_baseline:
            con.execute(
                "update marts.rpt_difficulty set n_questions = 9600000,"
                " n_no_accepted_answer = 5548800, no_accepted_answer_rate = 0.578"
                " where question_group = 'baseline'"
            )
        fill_group_figures(con)
    return path


def make_warehouse(
    path: Path,
    *,
    n_topic: int = 600,
    n_baseline: int = 3000,
    exact_baseline: bool = False,
    seed: int = 7,
) -> Path:
    """One topic, `ptm`: its questions and a random-sample baseline of the others."""
    ids = list(range(1, n_topic + n_baseline + 1))
    return write_marts(
        path,
        make_questions(n_topic, n_baseline, seed),
        topic_groups(TOPIC, ids[:n_topic], ids[n_topic:]),
        {TOPIC: TOPIC_TAGS},
        exact_baseline=exact_baseline,
    )


def _read(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def _groups(path: Path, topic: str = TOPIC) -> dict[str, dict[str, np.ndarray]]:
    with duckdb.connect(str(path), read_only=True) as con:
        data = {}
        for group in ("topic", "baseline"):
            rows = con.execute(
                "select has_accepted_answer, response_minutes::double,"
                " (epoch(collected_at) - epoch(created_at)) / 60.0"
                " from marts.fct_questions inner join (select topic, site, question_id,"
                " question_group from marts.fct_topic_question_groups) using (site, question_id)"
                " where topic = $topic and question_group = $group",
                {"topic": topic, "group": group},
            ).fetchnumpy()
            values = list(rows.values())
            data[group] = {
                "accepted": np.asarray(values[0]),
                "response": np.ma.filled(values[1], np.nan).astype(float),
                "follow_up": np.asarray(values[2], dtype=float),
            }
    return data


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return make_warehouse(tmp_path / "warehouse.duckdb")


def _test_row(path: Path, comparison: str, metric: str, test: str, tag: str | None = None):
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "select statistic, df, p_value, effect_size, effect_label, ci_low, ci_high, n_a, n_b,"
            " p_value_holm, method_notes from analysis.stat_tests where comparison = ?"
            " and metric = ? and test = ? and tag is not distinct from ?",
            [comparison, metric, test, tag],
        ).fetchall()
    assert len(rows) == 1, (comparison, metric, test, tag, rows)
    return rows[0]


def test_stat_tests_equal_the_stats_functions_on_the_same_data(warehouse: Path) -> None:
    result = run_analysis(warehouse, seed=11, n_bootstrap=N_BOOTSTRAP, progress=lambda _: None)
    data = _groups(warehouse)
    topic, baseline = data["topic"], data["baseline"]

    expected = proportion_test(
        int((~topic["accepted"]).sum()),
        topic["accepted"].size,
        int((~baseline["accepted"]).sum()),
        baseline["accepted"].size,
    )
    chi = _test_row(warehouse, "topic_vs_baseline", "no_accepted_answer_rate", "chi_square")
    assert chi[0] == pytest.approx(expected.chi_square, rel=1e-12)
    assert chi[1] == 1
    assert chi[2] == pytest.approx(expected.p_value, rel=1e-9)
    n_total = topic["accepted"].size + baseline["accepted"].size
    # φ, not the rate difference: |φ| = sqrt(χ² / N), positive as the topic's rate is higher.
    assert chi[3] == pytest.approx(np.sqrt(expected.chi_square / n_total), rel=1e-12)
    assert chi[5] < chi[3] < chi[6]
    assert "report quotes the test 'chi_square'" in chi[10]
    difference = _test_row(
        warehouse, "topic_vs_baseline", "no_accepted_answer_rate", "rate_difference"
    )
    assert difference[3] == pytest.approx(expected.difference.estimate)
    assert (difference[5], difference[6]) == pytest.approx(
        (expected.difference.ci_low, expected.difference.ci_high)
    )
    assert difference[2] is None
    yates = _test_row(warehouse, "topic_vs_baseline", "no_accepted_answer_rate", "chi_square_yates")
    assert yates[0] == pytest.approx(expected.chi_square_yates, rel=1e-12)

    answered_a = topic["response"][np.isfinite(topic["response"])]
    answered_b = baseline["response"][np.isfinite(baseline["response"])]
    mwu = mann_whitney_test(answered_a, answered_b)
    row = _test_row(warehouse, "topic_vs_baseline", "response_minutes", "mann_whitney_u")
    assert row[0] == pytest.approx(mwu.u_statistic)
    assert row[2] == pytest.approx(mwu.p_value, rel=1e-9)
    assert (row[3], row[4]) == (pytest.approx(mwu.cliffs_delta), mwu.effect_label)
    assert row[5] < row[3] < row[6]
    assert (row[7], row[8]) == (answered_a.size, answered_b.size)

    median_a = median_replicates(
        answered_a, N_BOOTSTRAP, derive_rng(11, TOPIC, "topic", "", "median")
    )
    median_b = median_replicates(
        answered_b, N_BOOTSTRAP, derive_rng(11, TOPIC, "baseline", "", "median")
    )
    difference = bootstrap_difference(
        np.median(answered_a), median_a, np.median(answered_b), median_b
    )
    row = _test_row(warehouse, "topic_vs_baseline", "response_minutes", "bootstrap_difference")
    assert row[0] == pytest.approx(np.median(answered_a) - np.median(answered_b))
    assert (row[2], row[5], row[6]) == pytest.approx(
        (difference.p_value, difference.ci_low, difference.ci_high)
    )
    [(median, low, high)] = _read(
        warehouse,
        "select estimate, ci_low, ci_high from analysis.metric_estimates where question_group ="
        " 'topic' and tag is null and metric = 'median_response_minutes'",
    )
    assert (median, low, high) == pytest.approx(
        (np.median(answered_a), *np.quantile(median_a, [0.025, 0.975]))
    )

    times_a, events_a = censor_at_collection(topic["response"], topic["follow_up"])
    times_b, events_b = censor_at_collection(baseline["response"], baseline["follow_up"])
    logrank = logrank_test(times_a, events_a, times_b, events_b)
    row = _test_row(warehouse, "topic_vs_baseline", "response_minutes", "logrank")
    assert row[0] == pytest.approx(logrank.statistic, rel=1e-9)
    assert "right-censored at its own collected_at" in row[10]
    assert "collected at 2023-06-30 00:00 UTC" in row[10]

    km = kaplan_meier(times_a, events_a)
    [(p_day, low, high)] = _read(
        warehouse,
        "select estimate, ci_low, ci_high from analysis.metric_estimates where question_group ="
        " 'topic' and tag is null and metric = 'p_accepted_within_1440_minutes'",
    )
    assert p_day == pytest.approx(km.p_accepted_within[1440].estimate)
    assert (low, high) == pytest.approx(
        (km.p_accepted_within[1440].ci_low, km.p_accepted_within[1440].ci_high)
    )
    assert result.n_tests == _read(warehouse, "select count(*) from analysis.stat_tests")[0][0]


def test_per_tag_tests_cover_only_the_topics_seed_tags_with_holm(warehouse: Path) -> None:
    from statsmodels.stats.multitest import multipletests

    run_analysis(warehouse, n_bootstrap=N_BOOTSTRAP, progress=lambda _: None)
    tags = {
        row[0]
        for row in _read(
            warehouse,
            "select distinct tag from analysis.stat_tests where comparison = 'tag_vs_baseline'",
        )
    }
    # `pytorch` is on half the topic's questions and on no baseline question, but no seed tag
    assert tags == set(TOPIC_TAGS)
    for metric, test in (
        ("no_accepted_answer_rate", "chi_square"),
        ("response_minutes", "mann_whitney_u"),
        ("answers_per_view", "bootstrap_difference"),
    ):
        rows = _read(
            warehouse,
            "select tag, p_value, p_value_holm from analysis.stat_tests where comparison ="
            f" 'tag_vs_baseline' and metric = '{metric}' and test = '{test}' order by tag",
        )
        assert [tag for tag, _, _ in rows] == sorted(TOPIC_TAGS)
        expected = multipletests([p for _, p, _ in rows], method="holm")[1]
        assert [holm for _, _, holm in rows] == pytest.approx(list(expected))


def test_groups_come_from_the_marts_definition_for_every_topic(tmp_path: Path) -> None:
    """Two topics share question 1; question 2 is ptm's and in nlp's baseline sample."""
    questions = make_questions(n_topic=600, n_baseline=3000)
    tags = questions.column("tags").to_pylist()
    tags[0] = tags[0] + ["nlp"]
    for row in range(3000, 3600):  # questions 3001..3600: nlp's own, in no group of ptm
        tags[row] = ["nlp"]
    questions = questions.set_column(
        questions.schema.get_field_index("tags"), "tags", pa.array(tags, pa.list_(pa.string()))
    )
    groups = topic_groups(TOPIC, list(range(1, 601)), list(range(601, 3001)))
    groups += topic_groups("nlp", [1, *range(3001, 3601)], [2, *range(601, 2001)])
    path = write_marts(
        tmp_path / "w.duckdb", questions, groups, {TOPIC: TOPIC_TAGS, "nlp": ("nlp",)}
    )
    result = run_analysis(path, n_bootstrap=N_BOOTSTRAP, progress=lambda _: None)
    assert result.topics == ("nlp", TOPIC)
    expected = _read(
        path, "select topic, question_group, n_questions from marts.rpt_difficulty order by all"
    )
    assert expected == [
        ("nlp", "baseline", 1401),
        ("nlp", "topic", 601),
        (TOPIC, "baseline", 2400),
        (TOPIC, "topic", 600),
    ]
    assert (
        _read(
            path,
            "select topic, question_group, n from analysis.metric_estimates"
            " where tag is null and metric = 'no_accepted_answer_rate' order by all",
        )
        == expected
    )
    sizes = _read(
        path,
        "select topic, n_a, n_b from analysis.stat_tests where test = 'logrank' order by topic",
    )
    assert sizes == [("nlp", 601, 1401), (TOPIC, 600, 2400)]
    assert _read(
        path, "select distinct tag from analysis.stat_tests where topic = 'nlp' and tag is not null"
    ) == [("nlp",)]


def test_unanswered_questions_are_censored_at_their_own_collection_time(tmp_path: Path) -> None:
    """Question 1, created in the window's first minute and never answered, is followed until its
    data was collected (2023-06-30), not until the last question's creation (2022-12-31)."""
    path = make_warehouse(tmp_path / "w.duckdb")
    with duckdb.connect(str(path)) as con:
        con.execute(
            "update marts.fct_questions set created_at = timestamp '2018-01-01 00:00',"
            " has_accepted_answer = false, response_minutes = null where question_id = 1"
        )
        con.execute(
            "update marts.fct_questions set collected_at = timestamp '2023-05-01 00:00'"
            " where question_id % 2 = 0"
        )
        fill_group_figures(con)
        last_created = con.execute("select max(created_at) from marts.fct_questions").fetchone()[0]
    assert last_created < COLLECTED_AT - timedelta(days=100)
    with connect_read_only(path) as con:
        data = load_topic(con, TOPIC)
    follow_up = data.groups["topic"].minutes_to_collection
    assert follow_up[0] == (COLLECTED_AT - datetime(2018, 1, 1)).total_seconds() / 60
    assert (data.collected_from, data.collected_to) == (datetime(2023, 5, 1), COLLECTED_AT)

    run_analysis(path, n_bootstrap=N_BOOTSTRAP, progress=lambda _: None)
    [(longest,)] = _read(
        path,
        "select max(minutes) from analysis.survival_curves where question_group = 'topic'",
    )
    assert longest == round((COLLECTED_AT - datetime(2018, 1, 1)).total_seconds() / 60)
    data = _groups(path)
    logrank = logrank_test(
        *censor_at_collection(data["topic"]["response"], data["topic"]["follow_up"]),
        *censor_at_collection(data["baseline"]["response"], data["baseline"]["follow_up"]),
    )
    row = _test_row(path, "topic_vs_baseline", "response_minutes", "logrank")
    assert row[0] == pytest.approx(logrank.statistic, rel=1e-9)
    assert "collected between 2023-05-01 00:00 and 2023-06-30 00:00 UTC" in row[10]


def test_contract_columns_and_estimates(warehouse: Path) -> None:
    result = run_analysis(warehouse, n_bootstrap=N_BOOTSTRAP, progress=lambda _: None)
    columns = [
        row[0]
        for row in _read(
            warehouse,
            "select column_name from information_schema.columns where table_schema = 'analysis'"
            " and table_name = 'stat_tests' order by ordinal_position",
        )
    ]
    assert columns == [name for name, _ in store.TABLES["stat_tests"]]
    metrics = {
        row[0]
        for row in _read(
            warehouse, "select metric from analysis.metric_estimates where tag is null"
        )
    }
    assert metrics == {
        "no_accepted_answer_rate",
        "median_response_minutes",
        "mean_response_minutes",
        "km_median_response_minutes",
        "answers_per_view",
        "p_accepted_within_60_minutes",
        "p_accepted_within_1440_minutes",
        "p_accepted_within_43200_minutes",
        "p_accepted_within_525600_minutes",
        "answers_per_view_ratio",
    }
    per_view = dict(
        _read(
            warehouse,
            "select question_group, estimate from analysis.metric_estimates"
            " where tag is null and metric = 'answers_per_view'",
        )
    )
    [(ratio, low, high)] = _read(
        warehouse,
        "select estimate, ci_low, ci_high from analysis.metric_estimates"
        " where tag is null and metric = 'answers_per_view_ratio'",
    )
    assert ratio == pytest.approx(per_view["topic"] / per_view["baseline"])
    assert low < ratio < high
    methods = dict(
        _read(
            warehouse,
            "select question_group, method from analysis.metric_estimates"
            " where tag is null and metric = 'answers_per_view'",
        )
    )
    assert methods == {"topic": "full_population", "baseline": "random_sample"}
    assert _read(warehouse, "select count(*) from analysis.survival_curves")[0][0] == (
        result.n_curve_points
    )
    assert "tests" in result.summary_line()


def test_exact_count_baseline_feeds_the_chi_square(tmp_path: Path) -> None:
    path = make_warehouse(tmp_path / "w.duckdb", exact_baseline=True)
    run_analysis(path, n_bootstrap=N_BOOTSTRAP, progress=lambda _: None)
    k, n = _read(
        path,
        "select count(*) filter (where not has_accepted_answer), count(*)"
        " from marts.fct_questions inner join (select topic, site, question_id, question_group"
        " from marts.fct_topic_question_groups) using (site, question_id)"
        " where question_group = 'topic'",
    )[0]
    row = _test_row(path, "topic_vs_baseline", "no_accepted_answer_rate", "chi_square")
    assert row[0] == pytest.approx(proportion_test(k, n, 5548800, 9600000).chi_square)
    assert row[8] == 9600000
    assert "exact_count" in row[10]
    [(method, estimate)] = _read(
        path,
        "select method, estimate from analysis.metric_estimates where question_group ="
        " 'baseline' and metric = 'no_accepted_answer_rate'",
    )
    assert (method, estimate) == ("exact_count", pytest.approx(0.578))


def test_rerun_replaces_results_and_records_each_run(warehouse: Path) -> None:
    first = run_analysis(warehouse, n_bootstrap=N_BOOTSTRAP, progress=lambda _: None)
    before = _read(
        warehouse, "select * exclude (computed_at) from analysis.stat_tests order by all"
    )
    second = run_analysis(warehouse, n_bootstrap=N_BOOTSTRAP, progress=lambda _: None)
    after = _read(warehouse, "select * exclude (computed_at) from analysis.stat_tests order by all")
    assert before == after  # same seed, same data: same results, no duplicates
    assert _read(warehouse, "select count(*) from analysis.stat_tests")[0][0] == second.n_tests
    runs = _read(warehouse, "select run_id, n_tests from analysis.runs order by computed_at")
    assert runs == [(first.run_id, first.n_tests), (second.run_id, second.n_tests)]


def test_failure_mid_write_keeps_previous_results(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_analysis(warehouse, n_bootstrap=N_BOOTSTRAP, progress=lambda _: None)
    before = _read(warehouse, "select * from analysis.stat_tests order by all")
    curves = _read(warehouse, "select count(*) from analysis.survival_curves")
    original = store._insert

    def fail_on_curves(con, table, rows):
        if table == "survival_curves":
            raise RuntimeError("disk full")
        original(con, table, rows)

    monkeypatch.setattr(store, "_insert", fail_on_curves)
    with pytest.raises(RuntimeError, match="disk full"):
        run_analysis(warehouse, seed=99, n_bootstrap=N_BOOTSTRAP, progress=lambda _: None)
    assert _read(warehouse, "select * from analysis.stat_tests order by all") == before
    assert _read(warehouse, "select count(*) from analysis.survival_curves") == curves
    assert _read(warehouse, "select count(*) from analysis.runs")[0][0] == 1


def test_missing_marts_raise_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
    with pytest.raises(MartsMissingError, match=r"marts.fct_questions missing: run `ptmwh build`"):
        run_analysis(path, progress=lambda _: None)
    with pytest.raises(MartsMissingError, match="not found"):
        run_analysis(tmp_path / "nowhere.duckdb", progress=lambda _: None)


@pytest.mark.parametrize(
    ("missing", "kept", "line"),
    [
        ("baseline", "topic", "no baseline questions or counts, so no comparisons"),
        # A seed topic whose tags no loaded question carries (e.g. defined, not loaded yet).
        ("topic", "baseline", "no question carries its tags, so no comparisons"),
    ],
)
def test_a_topic_missing_a_group_gets_estimates_but_no_comparisons(
    tmp_path: Path, missing: str, kept: str, line: str
) -> None:
    path = make_warehouse(tmp_path / "w.duckdb")
    with duckdb.connect(str(path)) as con:
        for table in ("fct_topic_question_groups", "rpt_difficulty"):
            con.execute(f"delete from marts.{table} where question_group = ?", [missing])
    lines: list[str] = []
    result = run_analysis(path, n_bootstrap=N_BOOTSTRAP, progress=lines.append)
    assert result.n_tests == 0
    assert line in lines[0]
    groups = _read(path, "select distinct question_group from analysis.metric_estimates")
    assert groups == [(kept,)]


def test_parallel_topics_give_the_rows_one_process_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two topics in two worker processes write exactly what one process writes."""
    questions = make_questions(n_topic=300, n_baseline=1200)
    groups = topic_groups(TOPIC, list(range(1, 301)), list(range(301, 1501)))
    groups += topic_groups("nlp", list(range(1, 151)), list(range(151, 1501)))
    path = write_marts(
        tmp_path / "w.duckdb", questions, groups, {TOPIC: TOPIC_TAGS, "nlp": TOPIC_TAGS}
    )
    query = (
        "select * exclude (computed_at) from analysis.stat_tests"
        " order by topic, comparison, tag, metric, test, effect_name"
    )
    run_analysis(path, n_bootstrap=N_BOOTSTRAP, progress=lambda _: None)
    parallel = _read(path, query)
    monkeypatch.setattr(runner, "MAX_WORKERS", 1)
    run_analysis(path, n_bootstrap=N_BOOTSTRAP, progress=lambda _: None)
    assert _read(path, query) == parallel
    assert {row[0] for row in parallel} == {"nlp", TOPIC}


def _dump_groups(topics: dict[str, list[int]], n: int) -> list[dict]:
    """Groups shaped as the view shapes a dump baseline: a topic's own questions, and every other
    question of the site and window as its `full_population` baseline."""
    rows = []
    for topic, own in topics.items():
        mine = set(own)
        for question_id in range(1, n + 1):
            group = "topic" if question_id in mine else "baseline"
            rows.append(
                {
                    "topic": topic,
                    "site": SITE,
                    "question_id": question_id,
                    "question_group": group,
                    "sampling_method": "full_population",
                }
            )
    return rows


def _full_population(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute(
            "update marts.rpt_difficulty set question_count_method = 'full_population',"
            " no_accepted_answer_rate_method = 'full_population',"
            " response_minutes_method = 'full_population',"
            " answers_per_view_method = 'full_population'"
        )


@pytest.mark.parametrize("with_empty_topic", [True, False])
def test_topics_sharing_a_dump_baseline_get_what_each_read_alone_gets(
    tmp_path: Path, with_empty_topic: bool
) -> None:
    """Topics of one site and window share the dump baseline (read once); 'none' has no
    questions of its own (its baseline is the whole dump), ptm and nlp overlap on 1..50 (without
    'none', nlp's own questions 51..450 in ptm's baseline are asked for by id). Each topic's
    groups equal those read on their own from the view, one topic at a time."""
    n = 1500
    topics = {TOPIC: list(range(1, 301)), "nlp": list(range(1, 51)) + list(range(301, 451))}
    if with_empty_topic:
        topics["none"] = []
    path = write_marts(
        tmp_path / "w.duckdb",
        make_questions(n_topic=450, n_baseline=n - 450),
        _dump_groups(topics, n),
        {topic: TOPIC_TAGS for topic in topics},
    )
    _full_population(path)
    with connect_read_only(path) as con:
        assert marts.baseline_units(con, sorted(topics)) == [sorted(topics)]
        shared = {data.topic: data for data in marts.load_unit(con, sorted(topics))}
        for topic in topics:
            alone = load_topic(con, topic)
            for group in ("topic", "baseline"):
                if group not in alone.groups:
                    assert group not in shared[topic].groups
                    continue
                a, b = alone.groups[group], shared[topic].groups[group]
                assert np.array_equal(a.question_ids, b.question_ids)
                assert np.array_equal(a.response_minutes, b.response_minutes, equal_nan=True)
                assert np.array_equal(a.answered_sorted, b.answered_sorted)
                assert np.array_equal(a.answered[a.answered_order], b.answered_sorted)
                assert np.array_equal(a.survival.counts, b.survival.counts)
                assert np.array_equal(a.survival.events, b.survival.events)
                assert a.no_accepted_answer == b.no_accepted_answer
    expected = _read(
        path,
        "select topic, n_questions from marts.rpt_difficulty where question_group = 'baseline'"
        " order by 1",
    )
    assert expected == [("nlp", n - 200), *[("none", n)] * with_empty_topic, (TOPIC, n - 300)]
    run_analysis(path, n_bootstrap=N_BOOTSTRAP, progress=lambda _: None)
    sizes = _read(
        path, "select topic, n_a, n_b from analysis.stat_tests where test = 'logrank' order by 1"
    )
    assert sizes == [("nlp", 200, n - 200), (TOPIC, 300, n - 300)]


def test_a_shared_baseline_that_miscounts_the_mart_is_refused(tmp_path: Path) -> None:
    n = 600
    path = write_marts(
        tmp_path / "w.duckdb",
        make_questions(n_topic=100, n_baseline=n - 100),
        _dump_groups({TOPIC: list(range(1, 101)), "nlp": list(range(101, 151))}, n),
        {TOPIC: TOPIC_TAGS, "nlp": TOPIC_TAGS},
    )
    _full_population(path)
    with duckdb.connect(str(path)) as con:
        con.execute(
            "update marts.rpt_difficulty set n_questions = 1 where question_group = 'baseline'"
        )
    with pytest.raises(MartsMissingError, match="rpt_difficulty counts 1: run `ptmwh build`"):
        run_analysis(path, n_bootstrap=N_BOOTSTRAP, progress=lambda _: None)


def test_the_yates_note_states_this_topics_figures(warehouse: Path) -> None:
    run_analysis(warehouse, seed=11, n_bootstrap=N_BOOTSTRAP, progress=lambda _: None)
    data = _groups(warehouse)
    table = [
        [int((~data[group]["accepted"]).sum()), int(data[group]["accepted"].sum())]
        for group in ("topic", "baseline")
    ]
    plain = scipy.stats.chi2_contingency(table, correction=False)
    corrected = scipy.stats.chi2_contingency(table, correction=True)
    notes = _test_row(warehouse, "topic_vs_baseline", "no_accepted_answer_rate", "chi_square")[10]
    assert "differs by < 1%" not in notes
    lowered = 100 * (plain.statistic - corrected.statistic) / plain.statistic
    assert (
        f"chi2 = {corrected.statistic:.2f} (p = {corrected.pvalue:.3g}) against "
        f"{plain.statistic:.2f} (p = {plain.pvalue:.3g}) without, {lowered:.1f}% lower: "
    ) in notes
    assert plain.pvalue < 0.05 and "both are significant at 0.05" in notes


@pytest.mark.parametrize(
    ("counts", "verdict"),
    [
        # 5 of 20 against 100 of 200: p = 0.033 without the correction, 0.058 with it
        ((5, 20, 100, 200), "only the test without it is significant at 0.05, so the conclusion"),
        ((10, 20, 100, 200), "neither is significant at 0.05, so the correction does not matter"),
    ],
)
def test_the_yates_note_says_when_the_correction_changes_the_conclusion(counts, verdict) -> None:
    from analysis_py.methods import yates_note

    k1, n1, k2, n2 = counts
    table = [[k1, n1 - k1], [k2, n2 - k2]]
    plain = scipy.stats.chi2_contingency(table, correction=False)
    corrected = scipy.stats.chi2_contingency(table, correction=True)
    note = yates_note(proportion_test(*counts))
    assert verdict in note
    assert f"chi2 = {corrected.statistic:.2f}" in note and f"against {plain.statistic:.2f}" in note
