{#
    The additive figures of each comparison group of fct_topic_question_groups (difficulty_sums,
    and the response-time histogram's bucket counts), computed without its rows: a topic's dump
    baseline is every dump question of its site and window less its members, so its sums are the
    population's less the members'. Topics that share a site and window share one pass over the
    population (five topics over 10^7 questions read 10^7 rows, not the view's 5 x 10^7).
    fct_questions is named where it is read, not in an import CTE: DuckDB materializes a CTE read
    more than once (here every question of the warehouse).
#}
{{ config(materialized='table') }}

with

dump_populations as (

    select * from {{ ref('int_topic_dump_populations') }}

),

sample_baselines as (

    select * from {{ ref('int_topic_sample_baselines') }}

),

topic_questions as (

    select * from {{ ref('fct_topic_questions') }}

),

population_questions as (

    select * from {{ ref('int_dump_population_questions') }}

),

population_sums as (

    select
        population_id,
        {{ question_group_sums() }}

    from population_questions
    group by 1

),

members as (

    select
        topic_questions.topic,
        questions.*

    from topic_questions
    inner join {{ ref('fct_questions') }} as questions
        on
            topic_questions.site = questions.site
            and topic_questions.question_id = questions.question_id

),

member_sums as (

    select
        topic,
        'topic' as question_group,
        'full_population' as sampling_method,
        {{ question_group_sums() }}

    from members
    group by 1

),

{# A member is in its topic's population when the dump collected it (members are in the window). #}
dump_member_sums as (

    select
        topic,
        {{ question_group_sums() }}

    from members
    where collected_by = 'dump'
    group by 1

),

dump_baseline_sums as (

    select
        dump_populations.topic,
        'baseline' as question_group,
        'full_population' as sampling_method,
        {{ question_group_sums_difference('population_sums', 'dump_member_sums') }}

    from dump_populations
    inner join population_sums
        on dump_populations.population_id = population_sums.population_id
    left join dump_member_sums
        on dump_populations.topic = dump_member_sums.topic

),

sample_baseline_sums as (

    select
        sample_baselines.topic,
        'baseline' as question_group,
        'random_sample' as sampling_method,
        {{ question_group_sums() }}

    from sample_baselines
    inner join {{ ref('fct_questions') }} as questions
        on
            sample_baselines.site = questions.site
            and sample_baselines.question_id = questions.question_id
    group by 1

),

final as (

    select * from member_sums
    union all
    select * from dump_baseline_sums
    union all
    select * from sample_baseline_sums

)

select * from final
