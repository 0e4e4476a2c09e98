{#
    One row per topic, round and decided candidate: the latest decision of the tag up to the
    round, so a reject carries over to later rounds.
#}
with

candidates as (

    select * from {{ ref('int_tag_selection_candidates') }}

),

decisions as (

    select * from {{ ref('int_tag_selection_decisions') }}

),

ranked_decisions as (

    select
        candidates.topic,
        candidates.round,
        candidates.tag,
        decisions.round as decided_round,
        decisions.decision,
        decisions.reason,
        row_number() over (
            partition by candidates.topic, candidates.round, candidates.tag
            order by decisions.round desc
        ) as decision_rank

    from candidates
    inner join decisions
        on
            candidates.topic = decisions.topic
            and candidates.tag = decisions.tag
            and candidates.round >= decisions.round

),

final as (

    select
        topic,
        round,
        tag,
        decided_round,
        decision,
        reason

    from ranked_decisions
    where decision_rank = 1

)

select * from final
