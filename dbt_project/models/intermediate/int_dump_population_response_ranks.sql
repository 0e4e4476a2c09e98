{#
    Every answered question of each dump population (int_dump_population_questions: the dump's
    questions of one site and window) ranked by its response time: the one sort of a population
    that int_question_group_order_statistics reads every topic's baseline order statistics from.
    A table, so the planner knows its size where the order statistics join it.
#}
{{ config(materialized='table') }}

with

population_questions as (

    select * from {{ ref('int_dump_population_questions') }}

),

final as (

    select
        population_id,
        question_id,
        response_minutes,
        row_number() over (
            partition by population_id
            order by response_minutes, question_id
        ) as population_rank

    from population_questions
    where response_minutes is not null

)

select * from final
