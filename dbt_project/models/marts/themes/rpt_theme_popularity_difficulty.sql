{#
    Per theme, over the questions whose dominant theme it is: size, the field's popularity (mean
    views, score, favourites; share unanswered: popularity_metrics) and the paper's difficulty (share without an
    accepted answer, response minutes), each with its 95% interval (docs/themes.md, "Metrics").
#}
with

question_themes as (

    select * from {{ ref('fct_question_themes') }}

),

questions as (

    select * from {{ ref('fct_questions') }}

),

themes as (

    select * from {{ ref('dim_themes') }}

),

dominant_theme_questions as (

    select
        question_themes.topic,
        question_themes.theme,
        questions.view_count,
        questions.score,
        questions.favorite_count,
        questions.answer_count,
        questions.has_accepted_answer,
        questions.response_minutes,
        questions.data_source,
        questions.is_synthetic

    from question_themes
    inner join questions
        on
            question_themes.site = questions.site
            and question_themes.question_id = questions.question_id
    where question_themes.is_dominant_theme

),

theme_metrics as (

    select
        topic,
        theme,
        {{ difficulty_metrics() }},
        {{ popularity_metrics() }}

    from dominant_theme_questions
    group by 1, 2

),

topic_totals as (

    select
        topic,
        sum(n_questions) as n_topic_questions

    from theme_metrics
    group by 1

),

final as (

    select
        theme_metrics.topic,
        theme_metrics.theme,
        themes.theme_label,
        theme_metrics.n_questions,
        cast(theme_metrics.n_questions as double) / topic_totals.n_topic_questions
            as question_share,
        {{ wilson_interval('theme_metrics.n_questions', 'topic_totals.n_topic_questions', 'low') }}
            as question_share_ci_low,
        {{ wilson_interval('theme_metrics.n_questions', 'topic_totals.n_topic_questions', 'high') }}
            as question_share_ci_high,
        theme_metrics.mean_view_count,
        theme_metrics.mean_view_count_ci_low,
        theme_metrics.mean_view_count_ci_high,
        theme_metrics.mean_score,
        theme_metrics.mean_score_ci_low,
        theme_metrics.mean_score_ci_high,
        theme_metrics.mean_favorite_count,
        theme_metrics.mean_favorite_count_ci_low,
        theme_metrics.mean_favorite_count_ci_high,
        cast(theme_metrics.n_unanswered as bigint) as n_unanswered,
        theme_metrics.unanswered_rate,
        theme_metrics.unanswered_rate_ci_low,
        theme_metrics.unanswered_rate_ci_high,
        cast(theme_metrics.n_no_accepted_answer as bigint) as n_no_accepted_answer,
        theme_metrics.no_accepted_answer_rate,
        theme_metrics.no_accepted_answer_rate_ci_low,
        theme_metrics.no_accepted_answer_rate_ci_high,
        theme_metrics.n_with_response_time,
        theme_metrics.median_response_minutes,
        theme_metrics.median_response_minutes_ci_low,
        theme_metrics.median_response_minutes_ci_high,
        theme_metrics.mean_response_minutes,
        theme_metrics.answers_per_view,
        theme_metrics.data_source,
        theme_metrics.is_synthetic,
        themes.fit_fingerprint

    from theme_metrics
    inner join topic_totals
        on theme_metrics.topic = topic_totals.topic
    inner join themes
        on
            theme_metrics.topic = themes.topic
            and theme_metrics.theme = themes.theme

)

select * from final
