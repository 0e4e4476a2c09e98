{#
    A topic's snowball rounds run 1, 2, ... without gaps, and only the last round may accept
    nothing: a round without an accept completes the selection (§III), so no round follows it.
#}
with

decisions as (

    select * from {{ ref('topic_tag_decisions') }}

),

rounds as (

    select
        topic,
        round,
        {{ dbt.bool_or("decision = 'accept'") }} as has_accept

    from decisions
    group by 1, 2

),

numbered as (

    select
        topic,
        round,
        has_accept,
        row_number() over (partition by topic order by round) as expected_round,
        max(round) over (partition by topic) as last_round

    from rounds

),

final as (

    select
        topic,
        round,
        case
            when round != expected_round then 'rounds skip a number'
            else 'a round without an accept is not the last'
        end as problem

    from numbered
    where
        round != expected_round
        or (not has_accept and round < last_round)

)

select * from final
