with

baseline_totals as (

    select * from {{ ref('stg_stackexchange__baseline_totals') }}

),

topic_tags as (

    select * from {{ ref('int_selected_topic_tags') }}

),

topic_tag_list as (

    select list_sort(list(tag)) as tags

    from topic_tags

),

{# Topic counts only count when they were taken for exactly this topic's tag set. #}
matching_totals as (

    select baseline_totals.*

    from baseline_totals
    cross join topic_tag_list
    where
        baseline_totals.population = 'all_questions'
        or list_sort(string_split(lower(baseline_totals.topic_tags), ';')) = topic_tag_list.tags

),

pivoted as (

    select
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
    where year between {{ var('window_start')[:4] | int }} and {{ var('window_end')[:4] | int }}
    group by 1

),

final as (

    select
        *,
        n_all_questions - n_topic_questions as n_baseline_questions,
        n_all_no_accepted_answer - n_topic_no_accepted_answer as n_baseline_no_accepted_answer

    from pivoted

)

select * from final
