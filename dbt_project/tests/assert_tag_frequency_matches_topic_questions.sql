{# Each topic question carries a topic tag, so the tag counts cover every topic question. #}
with

tag_frequency as (

    select * from {{ ref('rpt_tag_frequency') }}

),

difficulty as (

    select * from {{ ref('rpt_difficulty') }}

),

tag_totals as (

    select
        sum(n_questions) as n_tagged,
        max(n_questions) as n_largest_tag,
        max(n_topic_questions) as n_topic_questions

    from tag_frequency

),

topic_row as (

    select n_questions

    from difficulty
    where question_group = 'topic'

)

select
    tag_totals.*,
    topic_row.*

from tag_totals
cross join topic_row
where
    tag_totals.n_topic_questions != topic_row.n_questions
    or tag_totals.n_tagged < topic_row.n_questions
    or tag_totals.n_largest_tag > topic_row.n_questions
