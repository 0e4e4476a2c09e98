with

baseline_totals as (

    select * from {{ ref('stg_stackexchange__baseline_totals') }}

),

topic_tags as (

    select * from {{ ref('int_topic_tags') }}

),

topic_years as (

    select * from {{ ref('int_topic_years') }}

),

topic_tag_lists as (

    select
        topic,
        {{ sorted_array_agg('tag') }} as tags

    from topic_tags
    group by 1

),

{#
    A year's totals count for a topic when they were taken on its site over exactly its window
    year (the loader clips each calendar year to the requested window); topic counts only when
    taken for exactly this topic's tag set.
#}
matching_totals as (

    select
        topic_years.topic,
        topic_years.year,
        baseline_totals.population,
        baseline_totals.accepted_filter,
        baseline_totals.n_questions,
        baseline_totals.is_synthetic

    from topic_years
    inner join topic_tag_lists
        on topic_years.topic = topic_tag_lists.topic
    inner join baseline_totals
        on
            topic_years.site = baseline_totals.site
            and topic_years.period_start_date = cast(baseline_totals.from_at as date)
            and topic_years.period_end_date = cast(baseline_totals.to_at as date)
    where
        baseline_totals.population = 'all_questions'
        or {{ sort_array(split_to_array('lower(baseline_totals.topic_tags)', ';')) }}
        = topic_tag_lists.tags

),

pivoted as (

    select
        topic,
        year,
        max(case
            when population = 'all_questions' and accepted_filter = 'any' then n_questions
        end) as n_all_questions,
        max(case
            when population = 'all_questions' and accepted_filter = 'no_accepted_answer'
                then n_questions
        end) as n_all_no_accepted_answer,
        max(case
            when population = 'topic_questions' and accepted_filter = 'any' then n_questions
        end) as n_topic_questions,
        max(case
            when population = 'topic_questions' and accepted_filter = 'no_accepted_answer'
                then n_questions
        end) as n_topic_no_accepted_answer,
        {{ dbt.bool_or('is_synthetic') }} as is_synthetic

    from matching_totals
    group by 1, 2

),

final as (

    select
        *,
        n_all_questions - n_topic_questions as n_baseline_questions,
        n_all_no_accepted_answer - n_topic_no_accepted_answer as n_baseline_no_accepted_answer

    from pivoted

)

select * from final
