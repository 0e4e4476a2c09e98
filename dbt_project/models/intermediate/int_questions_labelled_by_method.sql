with

questions as (

    select * from {{ ref('int_questions_joined_to_accepted_answers') }}

),

{#
    The topic's questions are its full population (every tagged question, from the API or the dump).
    The baseline's per-question figures come from the most complete source loaded: the dump's full
    population when present, else the API's uniform random sample; other baseline rows (e.g. questions
    of a tag dropped from the topic) belong to neither and get no method.
#}
{# Read from the classified table, not the `questions` CTE: two references would materialize it. #}
baseline_sources as (

    select {{ dbt.bool_or("collected_by = 'dump'") }} as has_dump_baseline

    from {{ ref('int_questions_classified') }}
    where question_group = 'baseline'

),

labelled as (

    select
        questions.*,
        case
            when questions.question_group = 'topic' then 'full_population'
            when baseline_sources.has_dump_baseline
                then case when questions.collected_by = 'dump' then 'full_population' end
            when questions.collected_by = 'random_sample' then 'random_sample'
        end as difficulty_method

    from questions
    cross join baseline_sources

)

select * from labelled
