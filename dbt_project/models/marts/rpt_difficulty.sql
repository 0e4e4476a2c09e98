{%- set n_window_years = (var('window_end')[:4] | int) - (var('window_start')[:4] | int) + 1 -%}

with

questions as (

    select * from {{ ref('fct_questions') }}

),

totals_by_year as (

    select * from {{ ref('int_baseline_totals_by_year') }}

),

per_question_metrics as (

    select
        topic,
        question_group,
        sampling_method,
        {{ difficulty_metrics() }}

    from questions
    where sampling_method is not null
    group by 1, 2, 3

),

{# The API's exact counts make a baseline (all minus topic) only when every year has them. #}
exact_counts as (

    select
        sum(n_baseline_questions) as n_questions,
        sum(n_baseline_no_accepted_answer) as n_no_accepted_answer,
        {{ dbt.bool_or('is_synthetic') }} as is_synthetic

    from totals_by_year
    where n_baseline_questions is not null and n_baseline_no_accepted_answer is not null
    having count(*) = {{ n_window_years }}

),

baseline_candidates as (

    select
        '{{ var("topic") }}' as topic,
        'baseline' as question_group

    from exact_counts
    union
    select
        topic,
        question_group

    from per_question_metrics
    where question_group = 'baseline'

),

{# Per metric, the most complete source wins: full population > exact count > random sample. #}
groups as (

    select
        per_question_metrics.topic,
        per_question_metrics.question_group,
        per_question_metrics.sampling_method,
        case
            when per_question_metrics.sampling_method = 'full_population' then 'full_population'
        end as question_count_method

    from per_question_metrics
    where per_question_metrics.question_group = 'topic'
    union all
    select
        baseline_candidates.topic,
        baseline_candidates.question_group,
        per_question_metrics.sampling_method,
        case
            when per_question_metrics.sampling_method = 'full_population' then 'full_population'
            when exact_counts.n_questions is not null then 'exact_count'
            else per_question_metrics.sampling_method
        end as question_count_method

    from baseline_candidates
    left join per_question_metrics
        on baseline_candidates.question_group = per_question_metrics.question_group
    left join exact_counts
        on true

),

final as (

    select
        groups.topic,
        groups.question_group,
        groups.question_count_method,
        case
            when groups.sampling_method = 'random_sample' then per_question_metrics.n_questions
        end as n_sampled,
        case
            when groups.question_count_method = 'exact_count' then exact_counts.n_questions
            else per_question_metrics.n_questions
        end as n_questions,
        case
            when groups.question_count_method = 'exact_count' then exact_counts.n_no_accepted_answer
            else per_question_metrics.n_no_accepted_answer
        end as n_no_accepted_answer,
        case
            when groups.question_count_method = 'exact_count'
                then exact_counts.n_no_accepted_answer
                    / nullif(cast(exact_counts.n_questions as double), 0)
            else per_question_metrics.no_accepted_answer_rate
        end as no_accepted_answer_rate,
        case
            when groups.question_count_method = 'exact_count'
                then {{ wilson_interval(
                    'exact_counts.n_no_accepted_answer', 'exact_counts.n_questions', 'low'
                ) }}
            else per_question_metrics.no_accepted_answer_rate_ci_low
        end as no_accepted_answer_rate_ci_low,
        case
            when groups.question_count_method = 'exact_count'
                then {{ wilson_interval(
                    'exact_counts.n_no_accepted_answer', 'exact_counts.n_questions', 'high'
                ) }}
            else per_question_metrics.no_accepted_answer_rate_ci_high
        end as no_accepted_answer_rate_ci_high,
        groups.question_count_method as no_accepted_answer_rate_method,
        per_question_metrics.n_with_response_time,
        per_question_metrics.mean_response_minutes,
        per_question_metrics.mean_response_minutes_ci_low,
        per_question_metrics.mean_response_minutes_ci_high,
        per_question_metrics.median_response_minutes,
        per_question_metrics.median_response_minutes_ci_low,
        per_question_metrics.median_response_minutes_ci_high,
        groups.sampling_method as response_minutes_method,
        per_question_metrics.avg_answer_count,
        per_question_metrics.avg_view_count,
        per_question_metrics.answers_per_view,
        per_question_metrics.answers_per_view_ci_low,
        per_question_metrics.answers_per_view_ci_high,
        groups.sampling_method as answers_per_view_method,
        case
            when
                groups.question_count_method = 'exact_count'
                and per_question_metrics.data_source is null
                then 'api'
            when
                groups.question_count_method = 'exact_count'
                and per_question_metrics.data_source != 'api'
                then 'api,' || per_question_metrics.data_source
            else per_question_metrics.data_source
        end as data_source,
        coalesce(per_question_metrics.is_synthetic, false)
        or coalesce(exact_counts.is_synthetic, false) as is_synthetic,
        cast('{{ var("window_start") }}' as date) as window_start_date,
        cast('{{ var("window_end") }}' as date) as window_end_date

    from groups
    left join per_question_metrics
        on
            groups.question_group = per_question_metrics.question_group
            and groups.sampling_method = per_question_metrics.sampling_method
    left join exact_counts
        on groups.question_count_method = 'exact_count'

)

select * from final
