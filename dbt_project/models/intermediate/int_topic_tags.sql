with

topic_tags as (

    select * from {{ ref('topic_tags') }}

),

topics as (

    select * from {{ ref('int_topics') }}

),

final as (

    select
        topic_tags.topic,
        topics.site,
        lower(topic_tags.tag) as tag,
        topic_tags.tag_kind,
        topic_tags.in_initial_set

    from topic_tags
    inner join topics
        on topic_tags.topic = topics.topic

)

select * from final
