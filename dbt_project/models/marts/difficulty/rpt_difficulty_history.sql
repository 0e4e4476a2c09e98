{#
    rpt_difficulty's per-question metrics as of each load, from the snapshot of the questions'
    counts: how much a figure drifts as the questions age. Its newest load equals rpt_difficulty
    for groups measured on the full population (a dump); random-sample and exact-count baselines
    are not replayed (docs/metrics.md, "rpt_difficulty_history").
#}

with

question_history as (

    select * from {{ ref('int_question_history') }}

),

final as (

    select
        topic,
        question_group,
        load_date,
        as_of_at,
        {{ difficulty_metrics() }}

    from question_history
    group by 1, 2, 3, 4

)

select * from final
