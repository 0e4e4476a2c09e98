{#
    A table, though tiny: the view fct_topic_question_groups reads it, and a view can only name
    tables (a view's text keeps the catalog name of the file it was built in; see
    fct_topic_question_groups).
#}
{{ config(materialized='table') }}

with

topics as (

    select * from {{ ref('topics') }}

),

typed as (

    select
        topic,
        title,
        site,
        cast(window_start as date) as window_start_date,
        cast(window_end as date) as window_end_date,
        description,
        reference

    from topics

),

final as (

    select
        *,
        cast(window_start_date as timestamp) as window_start_at,
        {{ dbt.dateadd('day', 1, 'cast(window_end_date as timestamp)') }} as window_end_exclusive_at

    from typed

)

select * from final
