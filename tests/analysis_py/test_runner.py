"""run_analysis over a small generated warehouse: contract tables, values, reruns, failures."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from analysis_py import store
from analysis_py.bootstrap import derive_rng
from analysis_py.marts import MartsMissingError
from analysis_py.runner import run_analysis
from analysis_py.stats import (
    bootstrap_difference,
    censor_at_cutoff,
    kaplan_meier,
    logrank_test,
    mann_whitney_test,
    median_replicates,
    proportion_test,
)

TOPIC = "ptm"
TOPIC_TAGS = ("huggingface-transformers", "bert-language-model", "openai-api")
WINDOW_START = datetime(2018, 1, 1)
WINDOW_MINUTES = 5 * 365 * 24 * 60
N_BOOTSTRAP = 200


def make_warehouse(
    path: Path,
    *,
    n_topic: int = 600,
    n_baseline: int = 3000,
    exact_baseline: bool = False,
    seed: int = 7,
) -> Path:
    """Write `marts.fct_questions` and `marts.rpt_difficulty` the way the dbt marts shape them."""
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
            tags.append(own + ["python"])
        else:
            tags.append(["python"] if rng.random() < 0.5 else ["javascript"])
    table = pa.table(
        {
            "question_id": np.arange(1, n + 1),
            "topic": [TOPIC] * n,
            "question_group": np.where(is_topic, "topic", "baseline"),
            "tags": pa.array(tags, type=pa.list_(pa.string())),
            "created_at": pa.array(created, type=pa.timestamp("us")),
            "has_accepted_answer": accepted,
            "response_minutes": pa.array(
                np.where(accepted, response, np.nan), from_pandas=True
            ).cast(pa.int64()),
            "answer_count": rng.poisson(np.where(is_topic, 0.9, 1.4)),
            "view_count": rng.poisson(np.where(is_topic, 15, 12)) + 1,
            "score": rng.integers(-2, 10, n),
            "data_source": ["api"] * n,
            "is_synthetic": np.ones(n, dtype=bool),
        }
    )
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists marts")
        con.register("generated", table)
        con.execute("create or replace table marts.fct_questions as select * from generated")
        baseline_method = "exact_count" if exact_baseline else "random_sample"
        con.execute(
            f"""
            create or replace table marts.rpt_difficulty as
            select
                topic,
                question_group,
                count(*) as n_questions,
                count(*) filter (where not has_accepted_answer) as n_no_accepted_answer,
                avg((not has_accepted_answer)::int) as no_accepted_answer_rate,
                count(response_minutes) as n_with_response_time,
                avg(response_minutes) as mean_response_minutes,
                median(response_minutes) as median_response_minutes,
                avg(answer_count) as avg_answer_count,
                avg(view_count) as avg_view_count,
                avg(answer_count) / avg(view_count) as answers_per_view,
                case when question_group = 'topic' then 'full_population'
                    else 'random_sample' end as method,
                count(*) as n_sampled,
                case when question_group = 'topic' then 'full_population'
                    else '{baseline_method}' end as no_accepted_answer_rate_method,
                method as response_minutes_method,
                method as answers_per_view_method
            from marts.fct_questions
            group by 1, 2
            """
        )
        if exact_baseline:
            con.execute(
                "update marts.rpt_difficulty set n_questions = 9600000,"
                " n_no_accepted_answer = 5548800, no_accepted_answer_rate = 0.578"
                " where question_group = 'baseline'"
            )
    return path


def _read(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def _groups(path: Path) -> dict[str, dict[str, np.ndarray]]:
    with duckdb.connect(str(path), read_only=True) as con:
        cutoff = con.execute("select max(created_at) from marts.fct_questions").fetchone()[0]
        data = {}
        for group in ("topic", "baseline"):
            rows = con.execute(
                "select has_accepted_answer, response_minutes::double,"
                " date_diff('minute', created_at, $cutoff)::double"
                " from marts.fct_questions where question_group = $group",
                {"group": group, "cutoff": cutoff},
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

    times_a, events_a = censor_at_cutoff(topic["response"], topic["follow_up"])
    times_b, events_b = censor_at_cutoff(baseline["response"], baseline["follow_up"])
    logrank = logrank_test(times_a, events_a, times_b, events_b)
    row = _test_row(warehouse, "topic_vs_baseline", "response_minutes", "logrank")
    assert row[0] == pytest.approx(logrank.statistic, rel=1e-9)
    assert "right-censored at the data cut-off" in row[10]

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


def test_per_tag_tests_cover_only_the_topics_own_tags_with_holm(warehouse: Path) -> None:
    run_analysis(warehouse, n_bootstrap=N_BOOTSTRAP, progress=lambda _: None)
    tags = {
        row[0]
        for row in _read(
            warehouse,
            "select distinct tag from analysis.stat_tests where comparison = 'tag_vs_baseline'",
        )
    }
    assert tags == set(TOPIC_TAGS)  # 'python' is carried by baseline questions too
    rows = _read(
        warehouse,
        "select p_value, p_value_holm from analysis.stat_tests"
        " where comparison = 'tag_vs_baseline' and test = 'chi_square' order by p_value",
    )
    from statsmodels.stats.multitest import multipletests

    expected = multipletests([p for p, _ in rows], method="holm")[1]
    assert [holm for _, holm in rows] == pytest.approx(list(expected))


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
        " from marts.fct_questions where question_group = 'topic'",
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


def test_topic_without_baseline_gets_estimates_but_no_comparisons(tmp_path: Path) -> None:
    path = make_warehouse(tmp_path / "w.duckdb")
    with duckdb.connect(str(path)) as con:
        con.execute("delete from marts.fct_questions where question_group = 'baseline'")
        con.execute("delete from marts.rpt_difficulty where question_group = 'baseline'")
    lines: list[str] = []
    result = run_analysis(path, n_bootstrap=N_BOOTSTRAP, progress=lines.append)
    assert result.n_tests == 0
    assert "no comparisons" in lines[0]
    groups = _read(path, "select distinct question_group from analysis.metric_estimates")
    assert groups == [("topic",)]
