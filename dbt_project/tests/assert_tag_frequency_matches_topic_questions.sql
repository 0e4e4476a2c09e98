{# Each topic question carries a topic tag, so each topic's tag counts cover its questions. #}
with

tag_frequency as (

    select * from {{ ref('rpt_tag_frequency') }}

),

difficulty as (

    select * from {{ ref('rpt_difficulty') }}

),

tag_totals as (

    select
        topic,
        sum(n_questions) as n_tagged,
        max(n_questions) as n_largest_tag,
        max(n_topic_questions) as n_topic_questions

    from tag_frequency
    group by 1

),

topic_rows as (

    select
        topic,
        n_questions

    from difficulty
    where question_group = 'topic'

)

select
    tag_totals.*,
    topic_rows.n_questions

from tag_totals
inner join topic_rows
    on tag_totals.topic = topic_rows.topic
where
    tag_totals.n_topic_questions != topic_rows.n_questions
    or tag_totals.n_tagged < topic_rows.n_questions
    or tag_totals.n_largest_tag > topic_rows.n_questions
