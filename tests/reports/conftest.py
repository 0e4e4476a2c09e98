"""A small fixture warehouse with the marts and analysis tables the report reads.

The real marts come from dbt and `analysis_py`; these tests only need plausible rows of the
same shape, written with plain SQL into a tmp DuckDB file, so the report can be tested on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

XSS_TITLE = "<script>alert(1)</script>"

_SCHEMA_SQL = """
create schema marts;
create schema analysis;
create schema seeds;
create schema ops;
create schema raw_stackexchange;

create table marts.fct_questions (
    question_id bigint, created_at timestamp, creation_year integer, topic varchar,
    question_group varchar, tags varchar[], title varchar, link varchar, score integer,
    view_count integer, answer_count integer, has_accepted_answer boolean,
    response_minutes double, is_high_quality boolean, data_source varchar, is_synthetic boolean
);
create table marts.dim_tags (tag varchar, n_questions integer);
create table marts.rpt_tag_frequency (
    topic varchar, tag varchar, n_questions integer, share_of_topic_questions double, rank integer
);
create table marts.rpt_popularity_yearly (
    topic varchar, year integer, n_topic_questions integer, n_all_questions integer,
    topic_share double
);
create table marts.rpt_popularity_tag_yearly (
    topic varchar, tag varchar, year integer, n_questions integer
);
create table marts.rpt_difficulty (
    topic varchar, question_group varchar, method varchar, n_sampled integer, n_questions integer,
    n_no_accepted_answer integer, no_accepted_answer_rate double,
    no_accepted_answer_rate_method varchar, n_with_response_time integer,
    mean_response_minutes double, median_response_minutes double, response_minutes_method varchar,
    avg_answer_count double, avg_view_count double, answers_per_view double,
    answers_per_view_method varchar, data_source varchar, is_synthetic boolean,
    window_start_date date, window_end_date date
);
create table marts.rpt_difficulty_by_tag (
    topic varchar, tag varchar, n_questions integer, n_no_accepted_answer integer,
    no_accepted_answer_rate double, n_with_response_time integer, mean_response_minutes double,
    median_response_minutes double, avg_answer_count double, avg_view_count double,
    answers_per_view double
);
create table marts.rpt_response_time_distribution (
    topic varchar, question_group varchar, method varchar, bucket_index integer,
    bucket_low_minutes double, bucket_high_minutes double, n_questions integer,
    p10_minutes double, p20_minutes double, p25_minutes double, p30_minutes double,
    p40_minutes double, p50_minutes double, p60_minutes double, p70_minutes double,
    p75_minutes double, p80_minutes double, p90_minutes double, p95_minutes double,
    p99_minutes double
);
create table marts.rpt_tag_candidates (topic varchar, tag varchar, n_questions integer);
create table marts.rpt_taxonomy_distribution (
    taxonomy_level varchar, category varchar, sub_category varchar, code varchar,
    is_dl_challenge boolean, n_questions integer, share double, paper_share double,
    false_positive_rate double, n_annotated_questions integer default 430,
    n_false_positive integer default 25, n_pilot_questions integer default 129,
    n_independent_questions integer default 301, is_synthetic boolean default false
);
create table marts.rpt_annotation_agreement (
    annotator_a varchar, annotator_b varchar, n_questions integer, observed_agreement_rate double,
    cohens_kappa double, kappa_standard_error double, kappa_ci_low double, kappa_ci_high double,
    is_synthetic boolean
);
create table analysis.stat_tests (
    topic varchar, comparison varchar, tag varchar, metric varchar, test varchar,
    statistic double, df double, p_value double, p_value_holm double, effect_size double,
    effect_label varchar, ci_low double, ci_high double, n_a integer, n_b integer,
    method_notes varchar, computed_at timestamp, input_rows integer
);
create table analysis.metric_estimates (
    topic varchar, question_group varchar, tag varchar, metric varchar, estimate double,
    ci_low double, ci_high double, ci_method varchar, n integer, method varchar,
    computed_at timestamp
);
create table analysis.survival_curves (
    topic varchar, question_group varchar, minutes double, survival_probability double,
    ci_low double, ci_high double, n_at_risk integer
);
create table analysis.runs (run_id varchar, computed_at timestamp, n_tests integer, seed integer);
create table seeds.topic_tags (
    topic varchar, tag varchar, tag_kind varchar, in_initial_set boolean
);
create table seeds.literature_baselines (
    topic varchar, reference varchar, no_accepted_answer_rate double,
    median_response_minutes double, answers_per_view double
);
create table ops.build_runs (
    invocation_id varchar, started_at timestamp, finished_at timestamp, status varchar,
    n_nodes integer, n_errors integer, failed_nodes varchar, dbt_version varchar
);
create table raw_stackexchange.load_runs (
    run_id varchar, command varchar, started_at timestamp, finished_at timestamp, status varchar,
    site varchar, base_url varchar, tags varchar, from_date bigint, to_date bigint,
    requests_made integer, items_loaded varchar, items_skipped integer, skipped_reasons varchar,
    quota_remaining integer, quota_max integer, message varchar
);
"""

_ROWS_SQL = (
    """
insert into marts.fct_questions values
    (1, '2019-03-01 10:00', 2019, 'ptm', 'topic', ['bert-language-model'], 'How to fine-tune BERT?',
     'https://stackoverflow.com/q/1', 3, 120, 1, true, 851, true, 'api', true),
    (2, '2021-05-01 10:00', 2021, 'ptm', 'topic', ['huggingface-transformers', 'gpt-2'],
     '"""
    + XSS_TITLE
    + """', 'https://stackoverflow.com/q/2', 0, 80, 0, false, null, false,
     'api', true),
    (3, '2022-07-01 10:00', 2022, 'ptm', 'baseline', ['python'], 'List comprehension',
     'https://stackoverflow.com/q/3', 1, 300, 2, true, 55, true, 'api', false);

insert into marts.rpt_tag_frequency values
    ('ptm', 'huggingface-transformers', 2563, 0.4347, 1),
    ('ptm', 'bert-language-model', 1763, 0.2990, 2),
    ('ptm', 'openai-api', 1053, 0.1786, 3),
    ('ptm', 'pre-trained-model', 423, 0.0717, 4),
    ('ptm', 'huggingface-tokenizers', 413, 0.0700, 5),
    ('ptm', 'huggingface', 403, 0.0684, 6),
    ('ptm', '"""
    + XSS_TITLE
    + """', 245, 0.0416, 7);

insert into marts.rpt_popularity_yearly values
    ('ptm', 2018, 60, 1800000, 0.0000333),
    ('ptm', 2019, 450, 1700000, 0.000265),
    ('ptm', 2020, 900, 1750000, 0.000514),
    ('ptm', 2021, 1200, 1500000, 0.0008),
    ('ptm', 2022, 2050, 1300000, 0.001577),
    ('ptm', 2023, 1236, 500000, 0.002472);

insert into marts.rpt_popularity_tag_yearly
select 'ptm', tag, year, (n * (year - 2017))::integer
from (values ('huggingface-transformers', 90), ('bert-language-model', 60), ('openai-api', 30),
             ('pre-trained-model', 15), ('huggingface-tokenizers', 14), ('huggingface', 13),
             ('"""
    + XSS_TITLE
    + """', 5)) as t(tag, n)
cross join range(2018, 2024) as y(year);

insert into marts.rpt_difficulty values
    ('ptm', 'topic', 'full_population', null, 5896, 4357, 0.739, 'full_population', 1539, 22676,
     851, 'full_population', 1.1, 1200, 0.06, 'full_population', 'api', true, '2018-01-01',
     '2023-06-15'),
    ('ptm', 'baseline', 'random_sample', 2000, 2000, 1156, 0.578, 'exact_count', 844, 9745, 55,
     'random_sample', 1.3, 1100, 0.12, 'random_sample', 'api', false, '2018-01-01',
     '2023-06-15');

insert into marts.rpt_difficulty_by_tag values
    ('ptm', 'huggingface-transformers', 2563, 1794, 0.70, 769, 20000, 800, 1.0, 1500, 0.05),
    ('ptm', 'bert-language-model', 1763, 1305, 0.74, 458, 25000, 900, 1.0, 1400, 0.05),
    ('ptm', '"""
    + XSS_TITLE
    + """', 245, 191, 0.78, 54, 30000, 1000, 1.1, 900, 0.08);

insert into marts.rpt_response_time_distribution
select 'ptm', g, 'full_population', b, power(10, b), power(10, b + 1), (20 * q / (b + 1))::integer,
       q * 1, q * 2, q * 3, q * 4, q * 6, q * 10, q * 15, q * 25, q * 30, q * 40, q * 100,
       q * 300, q * 1000
from (values ('topic', 85.0), ('baseline', 5.5)) as t(g, q)
cross join range(0, 5) as r(b);

insert into marts.rpt_taxonomy_distribution (
    taxonomy_level, category, sub_category, code, is_dl_challenge, n_questions, share, paper_share,
    false_positive_rate
) values
    ('category', 'Model Lifecycle Management', null, null, null, 30, 0.40, 0.5679, 0.0581),
    ('sub_category', 'Model Lifecycle Management', 'Model Training', null, null, 30, 0.40, 0.1036,
     0.0581),
    ('code', 'Model Lifecycle Management', 'Model Training', 'Fine-tuning', false, 20, 0.2667,
     null, 0.0581),
    ('code', 'Model Lifecycle Management', 'Model Training', 'Non-Convergence', true, 10, 0.1333,
     null, 0.0581),
    ('category', 'Coding-related Issues', null, null, null, 45, 0.60, 0.3235, 0.0581),
    ('sub_category', 'Coding-related Issues', 'Environment', null, null, 45, 0.60, 0.1136, 0.0581),
    ('code', 'Coding-related Issues', 'Environment', 'Library Compatibility/Version', true, 45,
     0.60, null, 0.0581);

insert into marts.rpt_annotation_agreement values
    ('alice', 'bob', 301, 0.86, 0.83, 0.0241, 0.7828, 0.8772, false);

insert into analysis.stat_tests values
    ('ptm', 'topic_vs_baseline', null, 'no_accepted_answer_rate', 'chi_square', 628.83, 1, 1e-138,
     null, 0.161, 'small', 0.14, 0.18, 5896, 2000,
     'Pearson chi-square without continuity correction',
     '2024-01-01 00:00', 7896),
    ('ptm', 'topic_vs_baseline', null, 'response_minutes', 'mann_whitney_u', 812345, null, 2.5e-40,
     null, 0.41, 'medium', null, null, 1539, 844, 'two-sided', '2024-01-01 00:00', 2383),
    ('ptm', 'topic_vs_baseline', null, 'response_minutes', 'logrank', 410.2, 1, 3e-91, null, null,
     null, null, null, 5896, 2000, 'censored at cut-off', '2024-01-01 00:00', 7896),
    ('ptm', 'topic_vs_baseline', null, 'answers_per_view', 'bootstrap_difference', -0.06, null,
     0.0004,
     null, -0.06, null, -0.08, -0.04, 5896, 2000, '2000 resamples', '2024-01-01 00:00', 7896),
    ('ptm', 'tag_vs_baseline', 'bert-language-model', 'no_accepted_answer_rate',
     'chi_square', 210.5,
     1, 1e-47, 2e-47, 0.2, 'small', null, null, 1763, 2000, null, '2024-01-01 00:00', 3763);

insert into analysis.metric_estimates values
    ('ptm', 'topic', null, 'no_accepted_answer_rate', 0.739, 0.728, 0.750, 'wilson', 5896,
     'full_population', '2024-01-01 00:00'),
    ('ptm', 'baseline', null, 'no_accepted_answer_rate', 0.578, 0.556, 0.599, 'wilson', 2000,
     'exact_count', '2024-01-01 00:00'),
    ('ptm', 'topic', null, 'median_response_minutes', 851, 700, 1000, 'bootstrap', 1539,
     'full_population', '2024-01-01 00:00'),
    ('ptm', 'baseline', null, 'median_response_minutes', 55, 45, 66, 'bootstrap', 844,
     'random_sample', '2024-01-01 00:00'),
    ('ptm', 'topic', null, 'km_median_response_minutes', 40000, 35000, 46000, 'kaplan_meier', 5896,
     'full_population', '2024-01-01 00:00'),
    ('ptm', 'topic', null, 'answers_per_view', 0.06, 0.055, 0.065, 'bootstrap', 5896,
     'full_population', '2024-01-01 00:00'),
    ('ptm', 'baseline', null, 'answers_per_view', 0.12, 0.11, 0.13, 'bootstrap', 2000,
     'random_sample', '2024-01-01 00:00'),
    ('ptm', 'topic', 'bert-language-model', 'no_accepted_answer_rate', 0.74, 0.72, 0.76, 'wilson',
     1763, 'full_population', '2024-01-01 00:00');

insert into analysis.survival_curves
select 'ptm', g, m, exp(-m / s), greatest(exp(-m / s) - 0.02, 0), least(exp(-m / s) + 0.02, 1),
       (n * exp(-m / s))::integer
from (values ('topic', 40000.0, 5896), ('baseline', 3000.0, 2000)) as t(g, s, n)
cross join (values (1.0), (10.0), (60.0), (600.0), (1440.0), (10000.0), (43200.0), (200000.0))
    as r(m);

insert into analysis.runs values ('run-1', '2024-01-01 00:00', 5, 42);

insert into seeds.topic_tags values
    ('ptm', 'bert-language-model', 'model', true),
    ('ptm', 'huggingface-transformers', 'provider', true),
    ('ptm', 'openai-api', 'vendor', false);

insert into seeds.literature_baselines values
    ('big_data', 'Bagherzadeh and Khatchadourian 2019 [30]', 0.605, 198, null),
    ('concurrency', 'Ahmed and Bagherzadeh 2018 [26]', 0.438, 42, null),
    ('mobile', 'Rosen and Shihab 2016 [27]', 0.550, 55, null),
    ('security', 'Yang et al. 2016 [28]', null, null, 0.07),
    ('ptm', 'This paper (PTM)', 0.739, 851, 0.06);

insert into ops.build_runs values
    ('inv-1', '2024-01-01 00:00', '2024-01-01 00:01', 'success', 80, 0, null, '1.11.16');

insert into raw_stackexchange.load_runs values
    ('load-1', 'load', '2023-12-31 23:00', '2023-12-31 23:10', 'completed', 'stackoverflow',
     'http://127.0.0.1:8765/2.3', 'bert-language-model;gpt-2', 1514764800, 1686787200, 12,
     '{"questions": 3}', 0, '{}', 9988, 10000, null);
"""
)


def build_fixture_warehouse(db_path: Path) -> Path:
    """Write the fixture warehouse to `db_path` and return the path."""
    with duckdb.connect(str(db_path)) as con:
        con.execute(_SCHEMA_SQL)
        con.execute(_ROWS_SQL)
    return db_path


def run_sql(db_path: Path, sql: str) -> None:
    """Run `sql` on the fixture warehouse with a short-lived writable connection."""
    with duckdb.connect(str(db_path)) as con:
        con.execute(sql)


@pytest.fixture
def fixture_db(tmp_path: Path) -> Path:
    """A fresh fixture warehouse in tmp_path."""
    return build_fixture_warehouse(tmp_path / "warehouse.duckdb")


@pytest.fixture
def sql_runner() -> Callable[[Path, str], None]:
    """Give tests a way to alter the fixture warehouse."""
    return run_sql
