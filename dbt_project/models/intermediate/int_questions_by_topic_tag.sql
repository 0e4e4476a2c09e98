{#
    Built from staging, not from int_questions_in_window: the topic tags select few rows first, so
    the windows' questions are only probed, and every question's tag list is never aggregated here.
#}
with

questions as (

    select * from {{ ref('stg_stackexchange__questions') }}

),

question_tags as (

    select * from {{ ref('stg_stackexchange__question_tags') }}

),

topic_tags as (

    select * from {{ ref('int_topic_tags') }}

),

topics as (

    select * from {{ ref('int_topics') }}

),

{# The windows ride on the few tagged rows, so questions are probed by key, not by range. #}
tagged_with_topic_tags as (

    select
        topic_tags.topic,
        question_tags.site,
        question_tags.question_id,
        topic_tags.tag,
        topic_tags.tag_kind,
        topic_tags.in_initial_set,
        topics.window_start_at,
        topics.window_end_exclusive_at

    from question_tags
    inner join topic_tags
        on
            question_tags.site = topic_tags.site
            and question_tags.tag = topic_tags.tag
    inner join topics
        on topic_tags.topic = topics.topic

),

{# Both window ends are inclusive dates, as in int_questions_in_window. #}
in_topic_window as (

    select
        tagged_with_topic_tags.topic,
        tagged_with_topic_tags.site,
        tagged_with_topic_tags.question_id,
        tagged_with_topic_tags.tag,
        tagged_with_topic_tags.tag_kind,
        tagged_with_topic_tags.in_initial_set

    from tagged_with_topic_tags
    inner join questions
        on
            tagged_with_topic_tags.site = questions.site
            and tagged_with_topic_tags.question_id = questions.question_id
    where {{ in_topic_window('questions.created_at', 'tagged_with_topic_tags') }}

)

select * from in_topic_window
