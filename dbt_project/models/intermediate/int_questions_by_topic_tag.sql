{#
    Built from staging, not from int_questions_classified: the topic tags select few rows first, so
    the window's questions are only probed, and every question's tag list is never aggregated here.
#}
with

questions as (

    select * from {{ ref('stg_stackexchange__questions') }}

),

question_tags as (

    select * from {{ ref('stg_stackexchange__question_tags') }}

),

topic_tags as (

    select * from {{ ref('int_selected_topic_tags') }}

),

{# Both window ends are inclusive dates, as in int_questions_classified. #}
questions_in_window as (

    select question_id

    from questions
    where {{ in_window('created_at') }}

),

topic_question_tags as (

    select
        questions_in_window.question_id,
        topic_tags.topic,
        topic_tags.tag,
        topic_tags.tag_kind,
        topic_tags.in_initial_set

    from question_tags
    inner join topic_tags
        on question_tags.tag = topic_tags.tag
    inner join questions_in_window
        on question_tags.question_id = questions_in_window.question_id

)

select * from topic_question_tags
