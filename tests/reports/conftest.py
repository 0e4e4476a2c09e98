"""A small fixture warehouse with the marts and analysis tables the report reads.

The real marts come from dbt and `analysis_py`; these tests only need plausible rows, written with
plain SQL into a tmp DuckDB file, so the report can be tested on its own. The marts' tables are
created from the contract dbt enforces (`data_type` of every column in the marts' yml), and rows
name the columns they fill, so the fixture cannot drift from what dbt builds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import jinja2
import pytest
import yaml

from ptmwh.settings import DBT_PROJECT_DIR
from tests.fakes.group_figures import fill_group_figures
from tests.fakes.theme_marts import fill_theme_marts

XSS_TITLE = "<script>alert(1)</script>"

_SCHEMA_SQL = """
create schema analysis;
create schema seeds;
create schema ops;

create table analysis.stat_tests (
    topic varchar, comparison varchar, tag varchar, metric varchar, test varchar,
    statistic double, df double, p_value double, p_value_holm double, p_value_floor double,
    effect_name varchar, effect_size double, effect_label varchar, ci_low double, ci_high double,
    n_a integer, n_b integer,
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
create table seeds.topics (
    topic varchar, title varchar, site varchar, window_start date, window_end date,
    description varchar, reference varchar
);
create table seeds.literature_baselines (
    topic varchar, reference varchar, no_accepted_answer_rate double,
    median_response_minutes double, answers_per_view double
);
create table ops.build_runs (
    invocation_id varchar, started_at timestamp, finished_at timestamp, status varchar,
    n_nodes integer, n_errors integer, failed_nodes varchar, dbt_version varchar, command varchar
);
"""

_ROWS_SQL = (
    """
insert into marts.fct_questions (
    site, question_id, created_at, creation_year, tags, title, link, score,
    view_count, answer_count, has_accepted_answer, response_minutes, is_high_quality,
    collected_at, data_source, is_synthetic
) values
    ('stackoverflow.com', 1, '2019-03-01 10:00', 2019, ['bert-language-model'],
     'How to fine-tune BERT?', 'https://stackoverflow.com/q/1', 3, 120, 1, true, 851, true,
     '2023-06-30 00:00', 'api', true),
    ('stackoverflow.com', 2, '2021-05-01 10:00', 2021, ['huggingface-transformers', 'gpt-2'],
     '"""
    + XSS_TITLE
    + """', 'https://stackoverflow.com/q/2', 0, 80, 0, false, null, false,
     '2023-06-30 00:00', 'api', true),
    ('stackoverflow.com', 3, '2022-07-01 10:00', 2022, ['python'], 'List comprehension',
     'https://stackoverflow.com/q/3', 1, 300, 2, true, 55, true, '2023-06-30 00:00', 'api',
     false),
    ('stackoverflow.com', 4, '2020-02-01 10:00', 2020, ['multithreading'], 'Deadlock?',
     'https://stackoverflow.com/q/4', 2, 50, 1, false, null, true, '2023-06-30 00:00', 'api',
     true),
    ('stackoverflow.com', 5, '2023-02-01 10:00', 2023, ['mutex', 'multithreading'], 'Lock order',
     'https://stackoverflow.com/q/5', 1, 40, 2, true, 30, true, '2023-06-30 00:00', 'api', true);

insert into marts.fct_topic_question_groups (
    topic, site, question_id, question_group, sampling_method
) values
    ('ptm', 'stackoverflow.com', 1, 'topic', 'full_population'),
    ('ptm', 'stackoverflow.com', 2, 'topic', 'full_population'),
    ('ptm', 'stackoverflow.com', 3, 'baseline', 'random_sample'),
    ('concurrency', 'stackoverflow.com', 4, 'topic', 'full_population'),
    ('concurrency', 'stackoverflow.com', 5, 'topic', 'full_population'),
    ('concurrency', 'stackoverflow.com', 3, 'baseline', 'random_sample'),
    ('concurrency', 'stackoverflow.com', 1, 'baseline', 'random_sample');

insert into marts.rpt_tag_frequency (
    topic, tag, n_questions, share_of_topic_questions, rank
) values
    ('ptm', 'huggingface-transformers', 2563, 0.4347, 1),
    ('ptm', 'bert-language-model', 1763, 0.2990, 2),
    ('ptm', 'openai-api', 1053, 0.1786, 3),
    ('ptm', 'pre-trained-model', 423, 0.0717, 4),
    ('ptm', 'huggingface-tokenizers', 413, 0.0700, 5),
    ('ptm', 'huggingface', 403, 0.0684, 6),
    ('ptm', '"""
    + XSS_TITLE
    + """', 245, 0.0416, 7),
    ('concurrency', 'multithreading', 900, 0.75, 1),
    ('concurrency', 'mutex', 300, 0.25, 2);

insert into marts.rpt_popularity_yearly (
    topic, year, n_topic_questions, n_all_questions, topic_share, is_partial_year,
    n_days_in_window, topic_questions_per_day, annualised_topic_questions
) values
    ('ptm', 2018, 60, 1800000, 0.0000333, false, 365, 0.1644, 60),
    ('ptm', 2019, 450, 1700000, 0.000265, false, 365, 1.2329, 450),
    ('ptm', 2020, 900, 1750000, 0.000514, false, 366, 2.459, 900),
    ('ptm', 2021, 1200, 1500000, 0.0008, false, 365, 3.2877, 1200),
    ('ptm', 2022, 2050, 1300000, 0.001577, false, 365, 5.6164, 2050),
    ('ptm', 2023, 1236, 500000, 0.002472, true, 166, 7.4458, 2717.7),
    ('concurrency', 2022, 700, 1300000, 0.000538, false, 365, 1.9178, 700),
    ('concurrency', 2023, 500, 500000, 0.001, true, 166, 3.012, 1099.4);

insert into marts.rpt_popularity_tag_yearly (
    topic, tag, year, n_questions
)
select 'ptm', tag, year, (n * (year - 2017))::integer
from (values ('huggingface-transformers', 90), ('bert-language-model', 60), ('openai-api', 30),
             ('pre-trained-model', 15), ('huggingface-tokenizers', 14), ('huggingface', 13),
             ('"""
    + XSS_TITLE
    + """', 5)) as t(tag, n)
cross join range(2018, 2024) as y(year);

insert into marts.rpt_difficulty (
    topic, question_group, question_count_method, n_sampled, n_questions, n_no_accepted_answer,
    no_accepted_answer_rate, no_accepted_answer_rate_method, n_with_response_time,
    mean_response_minutes, median_response_minutes, response_minutes_method, avg_answer_count,
    avg_view_count, answers_per_view, answers_per_view_method, data_source, is_synthetic,
    window_start_date, window_end_date
) values
    ('ptm', 'topic', 'full_population', null, 5896, 4357, 0.739, 'full_population', 1539, 22676,
     851, 'full_population', 1.1, 1200, 0.06, 'full_population', 'api', true, '2018-01-01',
     '2023-06-15'),
    ('ptm', 'baseline', 'random_sample', 2000, 2000, 1156, 0.578, 'exact_count', 844, 9745, 55,
     'random_sample', 1.3, 1100, 0.12, 'random_sample', 'api', false, '2018-01-01',
     '2023-06-15'),
    ('concurrency', 'topic', 'full_population', null, 1200, 526, 0.438, 'full_population', 674,
     3000, 42, 'full_population', 1.5, 900, 0.0017, 'full_population', 'api', true,
     '2022-01-01', '2023-06-15'),
    ('concurrency', 'baseline', 'random_sample', 1999, 1999, 1155, 0.578, 'random_sample', 844,
     9745, 55, 'random_sample', 1.3, 1100, 0.0012, 'random_sample', 'api', false, '2022-01-01',
     '2023-06-15');

-- Popularity: ptm's source has no favourite counts; concurrency's baseline has no popularity.
update marts.rpt_difficulty set
    mean_view_count = 1234.5, mean_view_count_ci_low = 1100, mean_view_count_ci_high = 1369,
    mean_score = 1.25, mean_score_ci_low = -0.5, mean_score_ci_high = 3,
    n_unanswered = 1500, unanswered_rate = 0.254, unanswered_rate_ci_low = 0.243,
    unanswered_rate_ci_high = 0.265, popularity_method = 'full_population'
where topic = 'ptm' and question_group = 'topic';
update marts.rpt_difficulty set
    mean_view_count = 980, mean_view_count_ci_low = 900, mean_view_count_ci_high = 1060,
    mean_score = 2.5, mean_score_ci_low = 2.25, mean_score_ci_high = 2.75,
    n_unanswered = 300, unanswered_rate = 0.15, unanswered_rate_ci_low = 0.135,
    unanswered_rate_ci_high = 0.166, popularity_method = 'random_sample'
where topic = 'ptm' and question_group = 'baseline';
update marts.rpt_difficulty set
    mean_view_count = 75, mean_view_count_ci_low = 70, mean_view_count_ci_high = 80,
    mean_score = 3, mean_score_ci_low = 2.5, mean_score_ci_high = 3.5,
    mean_favorite_count = 0.8, mean_favorite_count_ci_low = 0.6, mean_favorite_count_ci_high = 1,
    n_unanswered = 60, unanswered_rate = 0.05, unanswered_rate_ci_low = 0.039,
    unanswered_rate_ci_high = 0.064, popularity_method = 'full_population'
where topic = 'concurrency' and question_group = 'topic';

insert into marts.rpt_difficulty_by_tag (
    topic, tag, n_questions, n_no_accepted_answer, no_accepted_answer_rate,
    n_with_response_time, mean_response_minutes, median_response_minutes, avg_answer_count,
    avg_view_count, answers_per_view
) values
    ('ptm', 'huggingface-transformers', 2563, 1794, 0.70, 769, 20000, 800, 1.0, 1500, 0.05),
    ('ptm', 'bert-language-model', 1763, 1305, 0.74, 458, 25000, 900, 1.0, 1400, 0.05),
    ('ptm', '"""
    + XSS_TITLE
    + """', 245, 191, 0.78, 54, 30000, 1000, 1.1, 900, 0.08),
    ('concurrency', 'multithreading', 900, 400, 0.444, 500, 3000, 40, 1.5, 900, 0.0017),
    ('concurrency', 'mutex', 300, 126, 0.42, 174, 3100, 45, 1.4, 880, 0.0016);

insert into marts.rpt_response_time_distribution (
    topic, question_group, sampling_method, bucket_index, bucket_low_minutes, bucket_high_minutes,
    n_questions, p10_minutes, p20_minutes, p25_minutes, p30_minutes, p40_minutes, p50_minutes,
    p60_minutes, p70_minutes, p75_minutes, p80_minutes, p90_minutes, p95_minutes, p99_minutes
)
select 'ptm', g, 'full_population', b, power(10, b), power(10, b + 1), (20 * q / (b + 1))::integer,
       q * 1, q * 2, q * 3, q * 4, q * 6, q * 10, q * 15, q * 25, q * 30, q * 40, q * 100,
       q * 300, q * 1000
from (values ('topic', 85.0), ('baseline', 5.5)) as t(g, q)
cross join range(0, 5) as r(b);

insert into marts.rpt_taxonomy_distribution (
    topic, taxonomy_level, category, sub_category, code, is_dl_challenge, n_questions, share,
    paper_share, false_positive_rate, n_annotated_questions, n_false_positive, n_pilot_questions,
    n_independent_questions, is_synthetic
) values
    ('ptm', 'category', 'Model Lifecycle Management', null, null, null, 30, 0.40, 0.5679,
     0.0581, 430, 25, 129, 301, false),
    ('ptm', 'sub_category', 'Model Lifecycle Management', 'Model Training', null, null, 30,
     0.40, 0.1036, 0.0581, 430, 25, 129, 301, false),
    ('ptm', 'code', 'Model Lifecycle Management', 'Model Training', 'Fine-tuning', false, 20,
     0.2667, null, 0.0581, 430, 25, 129, 301, false),
    ('ptm', 'code', 'Model Lifecycle Management', 'Model Training', 'Non-Convergence', true, 10,
     0.1333, null, 0.0581, 430, 25, 129, 301, false),
    ('ptm', 'category', 'Coding-related Issues', null, null, null, 45, 0.60, 0.3235, 0.0581,
     430, 25, 129, 301, false),
    ('ptm', 'sub_category', 'Coding-related Issues', 'Environment', null, null, 45, 0.60,
     0.1136, 0.0581, 430, 25, 129, 301, false),
    ('ptm', 'code', 'Coding-related Issues', 'Environment', 'Library Compatibility/Version',
     true, 45, 0.60, null, 0.0581, 430, 25, 129, 301, false);

insert into marts.rpt_annotation_agreement (
    topic, annotator_a, annotator_b, n_questions, observed_agreement_rate, cohens_kappa,
    kappa_standard_error, kappa_ci_low, kappa_ci_high, is_synthetic
) values ('ptm', 'alice', 'bob', 301, 0.86, 0.83, 0.0241, 0.7828, 0.8772, false);

insert into analysis.stat_tests values
    ('ptm', 'topic_vs_baseline', null, 'no_accepted_answer_rate', 'chi_square', 628.83, 1, 1e-138,
     null, null, 'phi', 0.099, null, 0.091, 0.107, 5896, 2000,
     'Pearson chi-square without continuity correction',
     '2024-01-01 00:00', 7896),
    ('ptm', 'topic_vs_baseline', null, 'no_accepted_answer_rate', 'rate_difference', 0.161, null,
     null, null, null, 'rate_difference', 0.161, null, 0.149, 0.173, 5896, 2000, 'Newcombe',
     '2024-01-01 00:00', 7896),
    ('ptm', 'topic_vs_baseline', null, 'response_minutes', 'mann_whitney_u', 812345, null, 2.5e-40,
     null, null, 'cliffs_delta', 0.41, 'medium', 0.37, 0.45, 1539, 844, 'two-sided',
     '2024-01-01 00:00', 2383),
    ('ptm', 'topic_vs_baseline', null, 'response_minutes', 'logrank', 410.2, 1, 3e-91, null, null,
     null, null, null, null, null, 5896, 2000, 'censored at cut-off', '2024-01-01 00:00', 7896),
    ('ptm', 'topic_vs_baseline', null, 'answers_per_view', 'bootstrap_difference', -0.06, null,
     0.0005, null, 0.0005, 'answers_per_view_difference', -0.06, null, -0.08, -0.04, 5896, 2000,
     '2000 resamples', '2024-01-01 00:00', 7896),
    ('ptm', 'tag_vs_baseline', 'bert-language-model', 'no_accepted_answer_rate',
     'chi_square', 210.5,
     1, 1e-47, 2e-47, null, 'phi', 0.2, 'small', null, null, 1763, 2000, null, '2024-01-01 00:00',
     3763),
    ('ptm', 'tag_vs_baseline', 'bert-language-model', 'no_accepted_answer_rate',
     'rate_difference', 0.162, null, null, null, null, 'rate_difference', 0.162, null, 0.14,
     0.184, 1763, 2000, null, '2024-01-01 00:00', 3763),
    ('ptm', 'tag_vs_baseline', 'huggingface-transformers', 'no_accepted_answer_rate',
     'chi_square', 1.2, 1, 0.27, 0.27, null, 'phi', 0.01, null, null, null, 2563, 2000, null,
     '2024-01-01 00:00', 4563),
    ('ptm', 'tag_vs_baseline', 'huggingface-transformers', 'no_accepted_answer_rate',
     'rate_difference', 0.122, null, null, null, null, 'rate_difference', 0.122, null, -0.01,
     0.25, 2563, 2000, null, '2024-01-01 00:00', 4563),
    ('concurrency', 'topic_vs_baseline', null, 'no_accepted_answer_rate', 'chi_square', 60.1, 1,
     9e-15, null, null, 'phi', -0.11, null, -0.13, -0.09, 1200, 1999, null, '2024-01-01 00:00',
     3199),
    ('concurrency', 'tag_vs_baseline', 'multithreading', 'no_accepted_answer_rate',
     'chi_square', 50.2, 1, 0.004, 0.049, null, 'phi', -0.1, null, null, null, 900, 1999, null,
     '2024-01-01 00:00', 2899),
    ('concurrency', 'tag_vs_baseline', 'multithreading', 'no_accepted_answer_rate',
     'rate_difference', -0.134, null, null, null, null, 'rate_difference', -0.134, null, -0.17,
     -0.1, 900, 1999, null, '2024-01-01 00:00', 2899),
    ('concurrency', 'tag_vs_baseline', 'mutex', 'no_accepted_answer_rate',
     'chi_square', 3.1, 1, 0.05, 0.051, null, 'phi', -0.05, null, null, null, 300, 1999, null,
     '2024-01-01 00:00', 2299),
    ('concurrency', 'tag_vs_baseline', 'mutex', 'no_accepted_answer_rate',
     'rate_difference', -0.158, null, null, null, null, 'rate_difference', -0.158, null, -0.21,
     -0.1, 300, 1999, null, '2024-01-01 00:00', 2299);

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
     1763, 'full_population', '2024-01-01 00:00'),
    ('ptm', 'topic', null, 'p_accepted_within_1440_minutes', 0.035, 0.03, 0.04, 'kaplan_meier',
     5896, 'full_population', '2024-01-01 00:00'),
    ('ptm', 'baseline', null, 'p_accepted_within_1440_minutes', 0.381, 0.36, 0.40, 'kaplan_meier',
     2000, 'random_sample', '2024-01-01 00:00'),
    ('ptm', 'topic', null, 'answers_per_view_ratio', 0.5, 0.42, 0.58, 'bootstrap', 7896,
     'random_sample', '2024-01-01 00:00'),
    ('concurrency', 'topic', null, 'no_accepted_answer_rate', 0.438, 0.41, 0.466, 'wilson', 1200,
     'full_population', '2024-01-01 00:00'),
    ('concurrency', 'baseline', null, 'no_accepted_answer_rate', 0.578, 0.556, 0.599, 'wilson',
     1999, 'random_sample', '2024-01-01 00:00'),
    ('concurrency', 'topic', null, 'median_response_minutes', 42, 38, 47, 'bootstrap', 674,
     'full_population', '2024-01-01 00:00'),
    ('concurrency', 'baseline', null, 'median_response_minutes', 55, 45, 66, 'bootstrap', 844,
     'random_sample', '2024-01-01 00:00'),
    ('concurrency', 'topic', null, 'answers_per_view', 0.0017, 0.0015, 0.0019, 'bootstrap', 1200,
     'full_population', '2024-01-01 00:00'),
    ('concurrency', 'baseline', null, 'answers_per_view', 0.0012, 0.0011, 0.0013, 'bootstrap',
     1999, 'random_sample', '2024-01-01 00:00'),
    ('concurrency', 'topic', null, 'answers_per_view_ratio', 1.42, 1.25, 1.61, 'bootstrap', 3199,
     'random_sample', '2024-01-01 00:00');

insert into analysis.survival_curves
select 'ptm', g, m, exp(-m / s), greatest(exp(-m / s) - 0.02, 0), least(exp(-m / s) + 0.02, 1),
       (n * exp(-m / s))::integer
from (values ('topic', 40000.0, 5896), ('baseline', 3000.0, 2000)) as t(g, s, n)
cross join (values (1.0), (10.0), (60.0), (600.0), (1440.0), (10000.0), (43200.0), (200000.0))
    as r(m);

insert into analysis.runs values ('run-1', '2024-01-01 00:00', 5, 42);

insert into seeds.topics values
    ('ptm', 'Pre-trained models', 'stackoverflow.com', '2018-01-01', '2023-06-15', 'PTMs', 'Tan'),
    ('concurrency', '"""
    + XSS_TITLE
    + """ Concurrency', 'stackoverflow.com', '2022-01-01', '2023-06-15', 'threads', 'Ahmed');

insert into seeds.topic_tags values
    ('ptm', 'bert-language-model', 'model', true),
    ('ptm', 'huggingface-transformers', 'provider', true),
    ('ptm', 'openai-api', 'vendor', false);

insert into seeds.literature_baselines values
    ('big_data', 'Bagherzadeh and Khatchadourian 2019 [30]', 0.605, 198, null),
    ('concurrency', 'Ahmed and Bagherzadeh 2018 [26]', 0.438, 42, null),
    ('mobile', 'Rosen and Shihab 2016 [27]', 0.550, 55, null),
    ('security', 'Yang et al. 2016 [28]', null, null, 0.07),
    ('ptm', 'This paper (PTM)', 0.739, 851, 0.06),
    ('unrelated', 'This paper (baseline)', 0.578, 55, 0.12);

insert into ops.build_runs values
    ('inv-1', '2024-01-01 00:00', '2024-01-01 00:01', 'success', 80, 0, null, '1.11.16', 'build');

insert into marts.rpt_load_runs (
    load_run_id, command, started_at, finished_at, status, site, from_at, to_at, requests_made,
    items_loaded
) values
    ('load-1', 'load', '2023-12-31 23:00', '2023-12-31 23:10', 'completed', 'stackoverflow',
     '2018-01-01 00:00', '2023-06-15 00:00', 12, '{"questions": 3}');
"""
)


def _duckdb_type(column: dict) -> str:
    """A contract column's DuckDB type: a type that differs by engine is jinja on `target`."""
    return jinja2.Template(column["data_type"]).render(target={"type": "duckdb"})


def marts_contract_ddl() -> str:
    """`create table` statements for every mart whose contract dbt enforces, as declared."""
    statements = ["create schema marts;"]
    for path in sorted((DBT_PROJECT_DIR / "models" / "marts").rglob("_*__models.yml")):
        for model in yaml.safe_load(path.read_text(encoding="utf-8"))["models"]:
            if not model.get("config", {}).get("contract", {}).get("enforced"):
                continue
            columns = ", ".join(f'"{c["name"]}" {_duckdb_type(c)}' for c in model["columns"])
            statements.append(f'create table marts."{model["name"]}" ({columns});')
    return "\n".join(statements)


def build_fixture_warehouse(db_path: Path) -> Path:
    """Write the fixture warehouse to `db_path` and return the path."""
    with duckdb.connect(str(db_path)) as con:
        con.execute(marts_contract_ddl())
        con.execute(_SCHEMA_SQL)
        con.execute(_ROWS_SQL)
        fill_group_figures(con)
        fill_theme_marts(con)
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
