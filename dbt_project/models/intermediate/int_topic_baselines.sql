{#
    A table of one row per topic: fct_topic_question_groups (a view) and the question groups'
    sums and order statistics read it instead of counting every dump question of every topic's
    window on each query. It counts from staging, not fct_questions (the same questions: those
    inside a topic's window), so it is built while fct_questions is, not after it; staging's
    questions are named where they are read, as DuckDB materializes a CTE read twice.
#}
{{ config(materialized='table') }}

with

topics as (

    select * from {{ ref('int_topics') }}

),

topic_questions as (

    select * from {{ ref('fct_topic_questions') }}

),

{# Counted once per site and window: topics that share them share one pass over the questions. #}
topic_windows as (

    select distinct
        site,
        window_start_at,
        window_end_exclusive_at

    from topics

),

dump_question_counts_by_window as (

    select
        topic_windows.site,
        topic_windows.window_start_at,
        topic_windows.window_end_exclusive_at,
        count(*) as n_dump_questions

    from topic_windows
    inner join {{ ref('stg_stackexchange__questions') }} as questions
        on {{ is_site_window_question('questions', 'topic_windows') }}
    where questions.collected_by = 'dump'
    group by 1, 2, 3

),

dump_question_counts as (

    select
        topics.topic,
        dump_question_counts_by_window.n_dump_questions

    from topics
    inner join dump_question_counts_by_window
        on
            topics.site = dump_question_counts_by_window.site
            and topics.window_start_at = dump_question_counts_by_window.window_start_at
            and topics.window_end_exclusive_at
            = dump_question_counts_by_window.window_end_exclusive_at

),

dump_member_counts as (

    select
        topic_questions.topic,
        count(*) as n_dump_members

    from topic_questions
    inner join {{ ref('stg_stackexchange__questions') }} as questions
        on
            topic_questions.site = questions.site
            and topic_questions.question_id = questions.question_id
    where questions.collected_by = 'dump'
    group by 1

),

{#
    A topic whose window holds dump questions beyond its members has the dump as its baseline
    (macros/topic_baselines.sql: the population less the members, here as counts).
#}
final as (

    select
        topics.topic,
        case
            when
                coalesce(dump_question_counts.n_dump_questions, 0)
                > coalesce(dump_member_counts.n_dump_members, 0)
                then 'full_population'
            else 'random_sample'
        end as baseline_sampling_method

    from topics
    left join dump_question_counts
        on topics.topic = dump_question_counts.topic
    left join dump_member_counts
        on topics.topic = dump_member_counts.topic

)

select * from final
