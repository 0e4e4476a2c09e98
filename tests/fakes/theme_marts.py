"""Hand-made theme marts of the topic `ptm` for tests of `ptmwh themes` and the report.

The tables are the contract's (the report fixture creates every enforced mart); this fills them
with three themes over ten questions, consistent the way dbt's marts are (dim_themes' sizes are
the dominant counts of fct_question_themes, the shares their share), so a test can recompute a
figure from the fact rows. Theme 1's label carries a `|`, quotes and a newline, as a researcher's
label may. The questions get ids above any other fixture's.
"""

from __future__ import annotations

import duckdb

FIT = "fp-current"
"""The fit fingerprint of the themes."""
STALE_FIT = "fp-old"
"""The fingerprint of the stale label."""
ODD_LABEL = 'Tokenizer | "padding"\nissues'
"""Theme 1's researcher label: a Markdown table cell breaker, quotes and a newline."""

QUESTIONS = {
    # question_id: (title, weights per theme 1..3); the largest weight is the dominant theme.
    600001: ("Padding side for GPT-2 tokenizer", (0.90, 0.05, 0.05)),
    600002: ("Tokenizer adds [UNK] | why?", (0.80, 0.10, 0.10)),
    600003: ("Truncation drops my labels", (0.70, 0.20, 0.10)),
    600004: ("Fast tokenizer offsets are wrong", (0.70, 0.25, 0.05)),
    600005: ("Loss is nan after one epoch", (0.10, 0.85, 0.05)),
    600006: ("Learning rate warmup never ends", (0.05, 0.50, 0.45)),
    600007: ("OpenAI API key is rejected", (0.02, 0.03, 0.95)),
    600008: ("Rate limit on completions", (0.20, 0.20, 0.60)),
    600009: ("Tokenizer on a second GPU", (0.55, 0.30, 0.15)),
    600010: ("Training stops at step 0", (0.30, 0.40, 0.30)),
}

_LABEL_SQL = "'" + ODD_LABEL.replace("'", "''") + "'"
_SQL = f"""
insert into marts.dim_themes (
    topic, theme, theme_label, label_source, label_note, top_terms, top_term_weights,
    coherence_npmi, n_questions, n_themes, fit_coherence_cv, fit_coherence_npmi, fit_fingerprint
) values
    ('ptm', 1, {_LABEL_SQL}, 'researcher', 'named by hand',
     ['tokenizer', 'padding', 'token', 'truncation'], [0.2, 0.1, 0.05, 0.04], 0.21, 5, 3,
     0.61, 0.15, '{FIT}'),
    ('ptm', 2, 'loss, training, epoch', 'top_terms', null,
     ['loss', 'training', 'epoch', 'rate'], [0.3, 0.2, 0.1, 0.05], 0.12, 3, 3, 0.61, 0.15,
     '{FIT}'),
    ('ptm', 3, 'api, openai, key', 'top_terms', null,
     ['api', 'openai', 'key', 'limit'], [0.25, 0.2, 0.15, 0.1], 0.11, 2, 3, 0.61, 0.15,
     '{FIT}');

insert into marts.rpt_theme_popularity_difficulty (
    topic, theme, theme_label, n_questions, question_share, question_share_ci_low,
    question_share_ci_high, mean_view_count, mean_view_count_ci_low, mean_view_count_ci_high,
    mean_score, mean_score_ci_low, mean_score_ci_high, n_unanswered, unanswered_rate,
    unanswered_rate_ci_low, unanswered_rate_ci_high, n_no_accepted_answer,
    no_accepted_answer_rate, no_accepted_answer_rate_ci_low, no_accepted_answer_rate_ci_high,
    n_with_response_time, median_response_minutes, median_response_minutes_ci_low,
    median_response_minutes_ci_high, mean_response_minutes, answers_per_view, data_source,
    is_synthetic, fit_fingerprint
) values
    ('ptm', 1, {_LABEL_SQL}, 5, 0.5, 0.237, 0.763, 1286.4, 900.2, 1672.6, 1.4, 0.8, 2.0, 2, 0.4,
     0.118, 0.769, 4, 0.8, 0.376, 0.964, 1, 19008, 1200, 40000, 19008, 0.001, 'api', true,
     '{FIT}'),
    ('ptm', 2, 'loss, training, epoch', 3, 0.3, 0.108, 0.603, 2133.5, 1500, 2767, 1.2, 0.3, 2.1,
     1, 0.3333, 0.0615, 0.7923, 2, 0.6667, 0.2077, 0.9385, 1, 8640, 60, 20000, 8640, 0.0005,
     'api', true, '{FIT}'),
    ('ptm', 3, 'api, openai, key', 2, 0.2, 0.057, 0.51, 770.9, 100.5, 1441.3, 1.0, -0.5, 2.5,
     0, 0.0, 0.0, 0.6576, 1, 0.5, 0.0945, 0.9055, 1, 22320, null, null, 22320, 0.002, 'api',
     true, '{FIT}');

insert into marts.rpt_theme_trends (
    topic, theme, period_grain, period_start, n_questions, n_period_questions, question_share,
    absolute_impact, relative_impact
) values
    ('ptm', 1, 'year', '2021-01-01', 3, 6, 0.5, 2.6, 0.4333),
    ('ptm', 2, 'year', '2021-01-01', 2, 6, 0.3333, 2.0, 0.3333),
    ('ptm', 3, 'year', '2021-01-01', 1, 6, 0.1667, 1.4, 0.2333),
    ('ptm', 1, 'year', '2022-01-01', 2, 4, 0.5, 1.5, 0.375),
    ('ptm', 2, 'year', '2022-01-01', 1, 4, 0.25, 1.0, 0.25),
    ('ptm', 3, 'year', '2022-01-01', 1, 4, 0.25, 1.5, 0.375),
    ('ptm', 1, 'quarter', '2021-01-01', 3, 6, 0.5, 2.6, 0.4333);

insert into marts.rpt_theme_model_selection (
    topic, n_themes, is_selected, selection_measure, coherence_npmi, coherence_cv,
    log_likelihood_per_word, n_documents, n_documents_without_terms, n_vocabulary,
    n_themes_tried, seed, min_df, max_df_share, iterations, bigrams, library, fit_fingerprint,
    corpus_fingerprint, settings_fingerprint, fitted_at
) values
    ('ptm', 2, false, 'c_npmi', 0.081, 0.55, -7.1, 10, 0, 40, '2-4:1', 1, 1, 0.5, 100, false,
     'tomotopy LDAModel', 'fp-k2', 'corpus', 'settings', '2024-01-01 00:00:00+00'),
    ('ptm', 3, true, 'c_npmi', 0.153, 0.61, -7.0, 10, 0, 40, '2-4:1', 1, 1, 0.5, 100, false,
     'tomotopy LDAModel', '{FIT}', 'corpus', 'settings', '2024-01-01 00:00:00+00'),
    ('ptm', 4, false, 'c_npmi', 0.112, 0.58, -6.9, 10, 0, 40, '2-4:1', 1, 1, 0.5, 100, false,
     'tomotopy LDAModel', 'fp-k4', 'corpus', 'settings', '2024-01-01 00:00:00+00');

insert into marts.rpt_stale_theme_labels (
    topic, fingerprint, theme, label, note, current_fit_fingerprint
) values ('ptm', '{STALE_FIT}', 2, 'Old | training', 'from the first fit', '{FIT}');
"""


def fill_theme_marts(con: duckdb.DuckDBPyConnection) -> None:
    """Insert the questions and the theme mart rows of `ptm` (the marts must exist)."""
    for question_id, (title, weights) in QUESTIONS.items():
        con.execute(
            "insert into marts.fct_questions (site, question_id, created_at, creation_year, "
            "tags, title, link, score, view_count, answer_count, has_accepted_answer, "
            "response_minutes, is_high_quality, collected_at, data_source, is_synthetic) "
            "values ('stackoverflow.com', ?, timestamp '2021-06-01', 2021, ['huggingface'], ?, "
            "'https://stackoverflow.com/q/' || ?, 1, 100, 1, false, null, true, "
            "timestamp '2023-06-30', 'api', true)",
            [question_id, title, question_id],
        )
        dominant = max(range(3), key=lambda index: (weights[index], -index))
        for index, weight in enumerate(weights):
            con.execute(
                "insert into marts.fct_question_themes values "
                "('ptm', 'stackoverflow.com', ?, ?, ?, ?, ?)",
                [question_id, index + 1, weight, index == dominant, FIT],
            )
    con.execute(_SQL)
