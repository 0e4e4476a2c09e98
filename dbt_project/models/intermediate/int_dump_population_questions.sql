{#
    The questions of each dump population (int_topic_dump_populations): every dump question of the
    population's site and window, with its fct_questions row. This is the baseline rule's
    population (macros/topic_baselines.sql); int_question_group_sums subtracts the members. A
    view: its two readers aggregate it (int_question_group_sums) and rank it
    (int_dump_population_response_ranks) in one pass each.
#}

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
        questions.*

    from populations
    inner join questions
        on {{ is_site_window_question('questions', 'populations') }}
    where questions.collected_by = 'dump'

)

select * from final
