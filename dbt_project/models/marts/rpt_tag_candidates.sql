with

questions as (

    select * from {{ ref('fct_questions') }}

),


related_tags as (

    select * from {{ ref('stg_stackexchange__related_tags') }}

),

tags as (

    select * from {{ ref('stg_stackexchange__tags') }}

),

topic_tags as (

    select * from {{ ref('int_selected_topic_tags') }}

),

topic_questions as (

    select * from questions
    where question_group = 'topic'

),

{# fct_questions.tags holds every tag of the question, each once: no join to question_tags. #}
topic_question_tags as (

    select
        question_id,
        unnest(tags) as tag

    from topic_questions

),

co_occurring as (

    select
        topic_question_tags.tag,
        count(distinct topic_question_tags.question_id) as n_topic_questions_with_tag

    from topic_question_tags
    left join topic_tags
        on topic_question_tags.tag = topic_tags.tag
    where topic_tags.tag is null
    group by 1

),

related as (

    select
        related_tags.related_tag as tag,
        min(related_tags.related_rank) as best_related_rank,
        max(related_tags.n_questions_together) as max_n_questions_together,
        string_agg(related_tags.tag, ';' order by related_tags.tag) as related_to_topic_tags

    from related_tags
    inner join topic_tags as configured_tags
        on related_tags.tag = configured_tags.tag
    left join topic_tags as already_in_topic
        on related_tags.related_tag = already_in_topic.tag
    where already_in_topic.tag is null
    group by 1

),

candidates as (

    select tag from co_occurring
    union
    select tag from related

),

final as (

    select
        '{{ var("topic") }}' as topic,
        candidates.tag,
        coalesce(co_occurring.n_topic_questions_with_tag, 0) as n_topic_questions_with_tag,
        coalesce(co_occurring.n_topic_questions_with_tag, 0)
        / nullif(cast((select count(*) from topic_questions) as double), 0)
            as share_of_topic_questions,
        co_occurring.tag is not null as is_co_occurring,
        related.tag is not null as is_related_tag,
        related.best_related_rank,
        related.max_n_questions_together,
        related.related_to_topic_tags,
        tags.site_question_count,
        rank() over (
            order by coalesce(co_occurring.n_topic_questions_with_tag, 0) desc
        ) as rank

    from candidates
    left join co_occurring
        on candidates.tag = co_occurring.tag
    left join related
        on candidates.tag = related.tag
    left join tags
        on candidates.tag = tags.tag

)

select * from final
