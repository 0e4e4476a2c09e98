{#
    One row per topic, round and tag outside T_r that the site relates to a tag of T_r
    (`/tags/{tags}/related`): its best rank and the tags of T_r it is related to.
#}
with

round_tags as (

    select * from {{ ref('int_tag_selection_round_tags') }}

),

related_tags as (

    select * from {{ ref('stg_stackexchange__related_tags') }}

),

final as (

    select
        round_tags.topic,
        round_tags.round,
        related_tags.related_tag as tag,
        min(related_tags.related_rank) as related_rank,
        {{ sorted_string_agg('related_tags.tag', ';', distinct=true) }} as related_to_tags

    from round_tags
    inner join related_tags
        on
            round_tags.site = related_tags.site
            and round_tags.tag = related_tags.tag
    left join round_tags as in_round_set
        on
            round_tags.topic = in_round_set.topic
            and round_tags.round = in_round_set.round
            and related_tags.related_tag = in_round_set.tag
            and in_round_set.is_in_round_set
    where
        round_tags.is_in_round_set
        and in_round_set.tag is null
    group by 1, 2, 3

)

select * from final
