with

questions as (

    select * from {{ ref('int_questions_classified') }}

),

question_tags as (

    select * from {{ ref('stg_stackexchange__question_tags') }}

),

topic_tags as (

    select * from {{ ref('int_topic_tags') }}

),

topic_question_tags as (

    select
        questions.question_id,
        topic_tags.topic,
        topic_tags.tag,
        topic_tags.tag_kind,
        topic_tags.in_initial_set

    from questions
    inner join question_tags
        on questions.question_id = question_tags.question_id
    inner join topic_tags
        on question_tags.tag = topic_tags.tag

)

select * from topic_question_tags
