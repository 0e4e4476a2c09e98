{#
    Every answered question of each dump population (int_topic_dump_populations: the dump's
    questions of one site and window) ranked by its response time: the one sort of a population
    that int_question_group_order_statistics reads every topic's baseline order statistics from.
    A table, so the planner knows its size where the order statistics join it.
#}
{{ config(materialized='table') }}

with

dump_populations as (

    select * from {{ ref('int_topic_dump_populations') }}

),

questions as (

    select * from {{ ref('fct_questions') }}

),

populations as (

    select distinct
        population_id,
        site,
        window_start_at,
        window_end_exclusive_at

    from dump_populations

),

final as (

    select
        populations.population_id,
        questions.question_id,
        questions.response_minutes,
        row_number() over (
            partition by populations.population_id
            order by questions.response_minutes, questions.question_id
        ) as population_rank

    from populations
    inner join questions
        on
            populations.site = questions.site
            and {{ in_topic_window('questions.created_at', 'populations') }}
    where
        questions.collected_by = 'dump'
        and questions.response_minutes is not null

)

select * from final
