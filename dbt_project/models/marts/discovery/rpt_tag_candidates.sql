with

questions as (

    select * from {{ ref('fct_questions') }}

),

topic_questions as (

    select * from {{ ref('fct_topic_questions') }}

),

related_tags as (

    select * from {{ ref('stg_stackexchange__related_tags') }}

),

tags as (

    select * from {{ ref('stg_stackexchange__tags') }}

),

topic_tags as (

    select * from {{ ref('int_topic_tags') }}

),

topics as (

    select * from {{ ref('int_topics') }}

),

topic_sizes as (

    select
        topic,
        count(*) as n_topic_questions

    from topic_questions
    group by 1

),

{# fct_questions.tags holds every tag of the question, each once: no join to question_tags. #}
topic_question_tags as (

    select
        topic_questions.topic,
        topic_questions.site,
        topic_questions.question_id,
        {{ unnest_array('questions.tags') }} as tag

    from topic_questions
    inner join questions
        on
            topic_questions.site = questions.site
            and topic_questions.question_id = questions.question_id

),

co_occurring as (

    select
        topic_question_tags.topic,
        topic_question_tags.tag,
        count(*) as n_topic_questions_with_tag

    from topic_question_tags
    left join topic_tags
        on
            topic_question_tags.topic = topic_tags.topic
            and topic_question_tags.tag = topic_tags.tag
    where topic_tags.tag is null
    group by 1, 2

),

related as (

    select
        configured_tags.topic,
        related_tags.related_tag as tag,
        min(related_tags.related_rank) as best_related_rank,
        max(related_tags.n_questions_together) as max_n_questions_together,
        {{ sorted_string_agg('related_tags.tag', ';') }} as related_to_topic_tags

    from related_tags
    inner join topic_tags as configured_tags
        on
            related_tags.site = configured_tags.site
            and related_tags.tag = configured_tags.tag
    left join topic_tags as already_in_topic
        on
            configured_tags.topic = already_in_topic.topic
            and related_tags.related_tag = already_in_topic.tag
    where already_in_topic.tag is null
    group by 1, 2

),

candidates as (

    select
        topic,
        tag

    from co_occurring
    union
    select
        topic,
        tag

    from related

),

final as (

    select
        candidates.topic,
        candidates.tag,
        coalesce(co_occurring.n_topic_questions_with_tag, 0) as n_topic_questions_with_tag,
        coalesce(co_occurring.n_topic_questions_with_tag, 0)
        / nullif(cast(topic_sizes.n_topic_questions as double), 0) as share_of_topic_questions,
        co_occurring.tag is not null as is_co_occurring,
        related.tag is not null as is_related_tag,
        related.best_related_rank,
        related.max_n_questions_together,
        related.related_to_topic_tags,
        tags.site_question_count,
        {# bigint on every engine (Spark's rank() is an int). #}
        cast(rank() over (
            partition by candidates.topic
            order by coalesce(co_occurring.n_topic_questions_with_tag, 0) desc
        ) as bigint) as rank

    from candidates
    inner join topics
        on candidates.topic = topics.topic
    left join topic_sizes
        on candidates.topic = topic_sizes.topic
    left join co_occurring
        on
            candidates.topic = co_occurring.topic
            and candidates.tag = co_occurring.tag
    left join related
        on
            candidates.topic = related.topic
            and candidates.tag = related.tag
    left join tags
        on
            topics.site = tags.site
            and candidates.tag = tags.tag

)

select * from final
