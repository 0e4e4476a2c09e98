{# The seed's decisions with their tags lower-cased, as every step of the selection reads them. #}
with

decisions as (

    select * from {{ ref('topic_tag_decisions') }}

),

final as (

    select
        topic,
        round,
        lower(tag) as tag,
        decision,
        reason

    from decisions

)

select * from final
