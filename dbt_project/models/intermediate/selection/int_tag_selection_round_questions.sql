{#
    A table (read by the round sizes and the co-occurrences): the loaded questions of each round's
    tags, Q(T_r) and those of the round's accepts, inside the topic's window.
#}
{{ config(materialized='table') }}

with

round_tags as (

    select * from {{ ref('int_tag_selection_round_tags') }}

),

member_question_tags as (

    select * from {{ ref('int_questions_by_topic_tag') }}

),

final as (

    select distinct
        round_tags.topic,
        round_tags.site,
        round_tags.round,
        round_tags.is_in_round_set,
        member_question_tags.question_id

    from round_tags
    inner join member_question_tags
        on
            round_tags.topic = member_question_tags.topic
            and round_tags.tag = member_question_tags.tag

)

select * from final
