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
{#
    Baseline questions of the window are those without a topic tag. They are found from staging and
    the small int_questions_by_topic_tag: reading `questions` twice would make DuckDB materialize every
    joined row, and reading int_questions_classified would aggregate every question's tags again.
#}
window_questions as (

    select
        question_id,
        collected_by

    from {{ ref('stg_stackexchange__questions') }}
    where {{ in_window('created_at') }}

),

baseline_sources as (

    select {{ dbt.bool_or("window_questions.collected_by = 'dump'") }} as has_dump_baseline

    from window_questions
    where window_questions.question_id not in (
            select topic_question_tags.question_id
            from {{ ref('int_questions_by_topic_tag') }} as topic_question_tags
        )

),

labelled as (

    select
        questions.*,
        case
            when questions.question_group = 'topic' then 'full_population'
            when baseline_sources.has_dump_baseline
                then case when questions.collected_by = 'dump' then 'full_population' end
            when questions.collected_by = 'random_sample' then 'random_sample'
        end as sampling_method

    from questions
    cross join baseline_sources

)

select * from labelled
