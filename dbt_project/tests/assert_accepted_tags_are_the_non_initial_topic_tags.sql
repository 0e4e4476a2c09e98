{#
    The snowball decisions and the topic's tags tell one story: every tag accepted in a round is a
    topic tag outside the initial set, every such tag of a snowballed topic (one with decisions) was
    accepted once, and no initial tag was decided. A topic without decisions was not snowballed, so
    its tags outside the initial set need no decision. A row names the topic, the tag and the problem.
#}
with

decisions as (

    select * from {{ ref('topic_tag_decisions') }}

),

topic_tags as (

    select * from {{ ref('topic_tags') }}

),

accepted as (

    select
        topic,
        lower(tag) as tag,
        count(*) as n_accepts

    from decisions
    where decision = 'accept'
    group by 1, 2

),

snowballed_topics as (

    select distinct topic

    from decisions

),

non_initial as (

    select
        topic_tags.topic,
        lower(topic_tags.tag) as tag

    from topic_tags
    inner join snowballed_topics
        on topic_tags.topic = snowballed_topics.topic
    where not topic_tags.in_initial_set

),

initial_decided as (

    select
        decisions.topic,
        lower(decisions.tag) as tag,
        'an initial tag was decided' as problem

    from decisions
    inner join topic_tags
        on
            decisions.topic = topic_tags.topic
            and lower(decisions.tag) = lower(topic_tags.tag)
    where topic_tags.in_initial_set

),

mismatched as (

    select
        coalesce(accepted.topic, non_initial.topic) as topic,
        coalesce(accepted.tag, non_initial.tag) as tag,
        case
            when non_initial.tag is null then 'accepted but not a non-initial topic tag'
            when accepted.tag is null then 'non-initial topic tag never accepted'
            else 'accepted more than once'
        end as problem

    from accepted
    full outer join non_initial
        on
            accepted.topic = non_initial.topic
            and accepted.tag = non_initial.tag
    where
        accepted.tag is null
        or non_initial.tag is null
        or accepted.n_accepts > 1

),

final as (

    select * from mismatched
    union all
    select * from initial_decided

)

select * from final
