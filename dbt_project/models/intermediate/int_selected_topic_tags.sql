with

topic_tags as (

    select * from {{ ref('topic_tags') }}

),

selected_topic as (

    select
        topic,
        lower(tag) as tag,
        tag_kind,
        in_initial_set

    from topic_tags
    where topic = '{{ var("topic") }}'

)

select * from selected_topic
