with

questions as (

    select * from {{ ref('stg_stackexchange__questions') }}

),

question_tags as (

    select * from {{ ref('stg_stackexchange__question_tags') }}

),

topic_tags as (

    select * from {{ ref('int_topic_tags') }}

),

{# Both window ends are inclusive dates: the window closes when the day after its end begins. #}
questions_in_window as (

    select * from questions
    where
        created_at >= cast('{{ var("window_start") }}' as timestamp)
        and created_at < {{ window_end_exclusive() }}

),

{# Sorting (position, tag) pairs in each list is ~3x faster than an ordered aggregate on DuckDB. #}
tags_per_question as (

    select
        question_tags.question_id,
        list_transform(
            list_sort(list({'tag_position': question_tags.tag_position, 'tag': question_tags.tag})),
            tag_in_position -> tag_in_position.tag
        ) as tags,
        count(topic_tags.tag) as n_topic_tags

    from question_tags
    left join topic_tags
        on question_tags.tag = topic_tags.tag
    group by 1

),

classified as (

    select
        questions_in_window.*,
        '{{ var("topic") }}' as topic,
        cast(extract(year from questions_in_window.created_at) as integer) as creation_year,
        coalesce(tags_per_question.tags, cast([] as varchar[])) as tags,
        coalesce(tags_per_question.n_topic_tags, 0) as n_topic_tags,
        case
            when coalesce(tags_per_question.n_topic_tags, 0) > 0 then 'topic' else 'baseline'
        end as question_group

    from questions_in_window
    left join tags_per_question
        on questions_in_window.question_id = tags_per_question.question_id

)

select * from classified
