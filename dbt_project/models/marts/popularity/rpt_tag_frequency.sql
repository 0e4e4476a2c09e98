with

questions as (

    select * from {{ ref('fct_questions') }}

),

topic_questions as (

    select * from {{ ref('fct_topic_questions') }}

),

question_topic_tags as (

    select * from {{ ref('int_questions_by_topic_tag') }}

),

topic_tags as (

    select * from {{ ref('int_topic_tags') }}

),

topic_totals as (

    select
        topic_questions.topic,
        count(*) as n_topic_questions,
        {{ dbt.bool_or('questions.is_synthetic') }} as is_synthetic

    from topic_questions
    inner join questions
        on
            topic_questions.site = questions.site
            and topic_questions.question_id = questions.question_id
    group by 1

),

questions_per_tag as (

    select
        topic,
        tag,
        count(*) as n_questions

    from question_topic_tags
    group by 1, 2

),

final as (

    select
        topic_tags.topic,
        topic_tags.tag,
        topic_tags.tag_kind,
        topic_tags.in_initial_set,
        coalesce(questions_per_tag.n_questions, 0) as n_questions,
        coalesce(topic_totals.n_topic_questions, 0) as n_topic_questions,
        coalesce(questions_per_tag.n_questions, 0)
        / nullif(cast(topic_totals.n_topic_questions as double), 0) as share_of_topic_questions,
        {# bigint on every engine (Spark's rank() is an int). #}
        cast(rank() over (
            partition by topic_tags.topic
            order by coalesce(questions_per_tag.n_questions, 0) desc
        ) as bigint) as rank,
        coalesce(topic_totals.is_synthetic, false) as is_synthetic

    from topic_tags
    left join topic_totals
        on topic_tags.topic = topic_totals.topic
    left join questions_per_tag
        on
            topic_tags.topic = questions_per_tag.topic
            and topic_tags.tag = questions_per_tag.tag

)

select * from final
