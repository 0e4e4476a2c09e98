{#
    A table (small, read by the round sizes, the co-occurrences and the related tags): each
    round's tag set T_r, the initial tags plus those accepted before r, and the round's accepts.
    is_in_round_set: the tag is in T_r; else it is accepted in round r (it is in T_(r+1) only).
#}
{{ config(materialized='table') }}

with

topic_rounds as (

    select * from {{ ref('int_tag_selection_rounds') }}

),

topic_tags as (

    select * from {{ ref('int_topic_tags') }}

),

decisions as (

    select * from {{ ref('int_tag_selection_decisions') }}

),

final as (

    select
        topic_rounds.topic,
        topic_rounds.site,
        topic_rounds.round,
        topic_tags.tag,
        true as is_in_round_set

    from topic_rounds
    inner join topic_tags
        on topic_rounds.topic = topic_tags.topic
    where topic_tags.in_initial_set
    union all
    select
        topic_rounds.topic,
        topic_rounds.site,
        topic_rounds.round,
        decisions.tag,
        decisions.round < topic_rounds.round as is_in_round_set

    from topic_rounds
    inner join decisions
        on
            topic_rounds.topic = decisions.topic
            and topic_rounds.round >= decisions.round
    where decisions.decision = 'accept'

)

select * from final
