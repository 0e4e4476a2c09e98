{# The year spine covers every topic window: its window years run from its first to its last day. #}
with

topics as (

    select * from {{ ref('int_topics') }}

),

topic_years as (

    select * from {{ ref('int_topic_years') }}

),

covered as (

    select
        topic,
        min(period_start_date) as first_date,
        max(period_end_date) as last_date,
        sum(n_days_in_window) as n_days

    from topic_years
    group by 1

)

select topics.topic

from topics
left join covered
    on topics.topic = covered.topic
where
    covered.topic is null
    or covered.first_date != topics.window_start_date
    or covered.last_date != topics.window_end_date
    or covered.n_days
    != {{ dbt.datediff('topics.window_start_date', 'topics.window_end_date', 'day') }} + 1
