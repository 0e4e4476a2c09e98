{#
    A table (one row per topic and round, read by every later step): the rounds of each topic's
    selection are those with decisions plus the current one, the round `ptmwh snowball` records
    into. This is the one place the current round is decided (ptmwh/snowball.py reads it).
#}
{{ config(materialized='table') }}

with

topics as (

    select * from {{ ref('int_topics') }}

),

decisions as (

    select * from {{ ref('int_tag_selection_decisions') }}

),

round_decision_counts as (

    select
        topic,
        round,
        count(*) as n_decisions,
        sum(case when decision = 'accept' then 1 else 0 end) as n_accepted

    from decisions
    group by 1, 2

),

last_rounds as (

    select
        topic,
        max(round) as last_round

    from round_decision_counts
    group by 1

),

{# A round that accepted nothing stays current: it completes the selection. #}
current_rounds as (

    select
        topics.topic,
        topics.site,
        case
            when last_rounds.topic is null then 1
            when last_round_counts.n_accepted > 0 then last_rounds.last_round + 1
            else last_rounds.last_round
        end as current_round

    from topics
    left join last_rounds
        on topics.topic = last_rounds.topic
    left join round_decision_counts as last_round_counts
        on
            last_rounds.topic = last_round_counts.topic
            and last_rounds.last_round = last_round_counts.round

),

topic_rounds as (

    select
        current_rounds.topic,
        current_rounds.site,
        round_decision_counts.round,
        current_rounds.current_round

    from current_rounds
    inner join round_decision_counts
        on current_rounds.topic = round_decision_counts.topic
    union
    select
        topic,
        site,
        current_round as round,
        current_round

    from current_rounds

),

final as (

    select
        topic_rounds.topic,
        topic_rounds.site,
        topic_rounds.round,
        topic_rounds.round = topic_rounds.current_round as is_current_round,
        case
            when coalesce(round_decision_counts.n_accepted, 0) > 0 then 'accepted_tags'
            when coalesce(round_decision_counts.n_decisions, 0) > 0 then 'complete'
            else 'open'
        end as round_status

    from topic_rounds
    left join round_decision_counts
        on
            topic_rounds.topic = round_decision_counts.topic
            and topic_rounds.round = round_decision_counts.round

)

select * from final
