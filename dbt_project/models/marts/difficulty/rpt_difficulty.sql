with

topics as (

    select * from {{ ref('int_topics') }}

),

topic_years as (

    select * from {{ ref('int_topic_years') }}

),

group_sums as (

    select * from {{ ref('int_question_group_sums') }}

),

order_statistics as (

    select * from {{ ref('int_question_group_order_statistics') }}

),

totals_by_year as (

    select * from {{ ref('int_baseline_totals_by_year') }}

),

{# The groups' medians from the order statistics their sums' counts ask for. #}
medians as (

    select
        group_sums.topic,
        group_sums.question_group,
        group_sums.sampling_method,
        {{ median_estimates(
            response_time_at_rank('order_statistics'), 'group_sums.n_with_response_time'
        ) }}

    from group_sums
    inner join order_statistics
        on
            group_sums.topic = order_statistics.topic
            and group_sums.question_group = order_statistics.question_group
            and group_sums.sampling_method = order_statistics.sampling_method
    group by 1, 2, 3, group_sums.n_with_response_time

),

per_question_metrics as (

    select
        group_sums.topic,
        group_sums.question_group,
        group_sums.sampling_method,
        {{ group_estimates_from('group_sums') }},
        medians.median_response_minutes,
        medians.median_response_minutes_ci_low,
        medians.median_response_minutes_ci_high

    from group_sums
    left join medians
        on
            group_sums.topic = medians.topic
            and group_sums.question_group = medians.question_group
            and group_sums.sampling_method = medians.sampling_method

),

n_window_years as (

    select
        topic,
        count(*) as n_years

    from topic_years
    group by 1

),

{# The API's exact counts make a baseline (all minus topic) only when every window year has them. #}
exact_counts as (

    select
        totals_by_year.topic,
        sum(totals_by_year.n_baseline_questions) as n_questions,
        sum(totals_by_year.n_baseline_no_accepted_answer) as n_no_accepted_answer,
        {{ dbt.bool_or('totals_by_year.is_synthetic') }} as is_synthetic

    from totals_by_year
    inner join n_window_years
        on totals_by_year.topic = n_window_years.topic
    where
        totals_by_year.n_baseline_questions is not null
        and totals_by_year.n_baseline_no_accepted_answer is not null
    group by totals_by_year.topic, n_window_years.n_years
    having count(*) = n_window_years.n_years

),

baseline_candidates as (

    select
        topic,
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
        on
            baseline_candidates.topic = per_question_metrics.topic
            and baseline_candidates.question_group = per_question_metrics.question_group
    left join exact_counts
        on baseline_candidates.topic = exact_counts.topic

),

{# Each group's question counts from the one source chosen for it in `groups`. #}
chosen_counts as (

    select
        groups.topic,
        groups.question_group,
        per_question_metrics.n_questions,
        per_question_metrics.n_no_accepted_answer,
        per_question_metrics.no_accepted_answer_rate,
        per_question_metrics.no_accepted_answer_rate_ci_low,
        per_question_metrics.no_accepted_answer_rate_ci_high

    from groups
    inner join per_question_metrics
        on
            groups.topic = per_question_metrics.topic
            and groups.question_group = per_question_metrics.question_group
            and groups.sampling_method = per_question_metrics.sampling_method
    where coalesce(groups.question_count_method, '') != 'exact_count'
    union all
    select
        groups.topic,
        groups.question_group,
        exact_counts.n_questions,
        exact_counts.n_no_accepted_answer,
        exact_counts.n_no_accepted_answer
        / nullif(cast(exact_counts.n_questions as double), 0) as no_accepted_answer_rate,
        {{ wilson_interval(
            'exact_counts.n_no_accepted_answer', 'exact_counts.n_questions', 'low'
        ) }} as no_accepted_answer_rate_ci_low,
        {{ wilson_interval(
            'exact_counts.n_no_accepted_answer', 'exact_counts.n_questions', 'high'
        ) }} as no_accepted_answer_rate_ci_high

    from groups
    inner join exact_counts
        on groups.topic = exact_counts.topic
    where groups.question_count_method = 'exact_count'

),

final as (

    select
        groups.topic,
        groups.question_group,
        groups.question_count_method,
        case
            when groups.sampling_method = 'random_sample' then per_question_metrics.n_questions
        end as n_sampled,
        chosen_counts.n_questions,
        chosen_counts.n_no_accepted_answer,
        chosen_counts.no_accepted_answer_rate,
        chosen_counts.no_accepted_answer_rate_ci_low,
        chosen_counts.no_accepted_answer_rate_ci_high,
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
        per_question_metrics.mean_view_count,
        per_question_metrics.mean_view_count_ci_low,
        per_question_metrics.mean_view_count_ci_high,
        per_question_metrics.mean_score,
        per_question_metrics.mean_score_ci_low,
        per_question_metrics.mean_score_ci_high,
        per_question_metrics.mean_favorite_count,
        per_question_metrics.mean_favorite_count_ci_low,
        per_question_metrics.mean_favorite_count_ci_high,
        per_question_metrics.n_unanswered,
        per_question_metrics.unanswered_rate,
        per_question_metrics.unanswered_rate_ci_low,
        per_question_metrics.unanswered_rate_ci_high,
        {# The API's exact totals count no views, scores or answers: its sample measures these. #}
        groups.sampling_method as popularity_method,
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
        topics.window_start_date,
        topics.window_end_date

    from groups
    inner join topics
        on groups.topic = topics.topic
    left join per_question_metrics
        on
            groups.topic = per_question_metrics.topic
            and groups.question_group = per_question_metrics.question_group
            and groups.sampling_method = per_question_metrics.sampling_method
    left join chosen_counts
        on
            groups.topic = chosen_counts.topic
            and groups.question_group = chosen_counts.question_group
    left join exact_counts
        on
            groups.topic = exact_counts.topic
            and groups.question_count_method = 'exact_count'

)

select * from final
