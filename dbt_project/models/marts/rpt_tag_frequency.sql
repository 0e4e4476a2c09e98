with

questions as (

    select * from {{ ref('fct_questions') }}

),

question_topic_tags as (

    select * from {{ ref('int_questions_by_topic_tag') }}

),

topic_tags as (

    select * from {{ ref('int_selected_topic_tags') }}

),

topic_totals as (

    select
        count(*) as n_topic_questions,
        {{ dbt.bool_or('is_synthetic') }} as is_synthetic

    from questions
    where question_group = 'topic'

),

questions_per_tag as (

    select
        tag,
        count(distinct question_id) as n_questions

    from question_topic_tags
    group by 1

),

final as (

    select
        topic_tags.topic,
        topic_tags.tag,
        topic_tags.tag_kind,
        topic_tags.in_initial_set,
        coalesce(questions_per_tag.n_questions, 0) as n_questions,
        topic_totals.n_topic_questions,
        coalesce(questions_per_tag.n_questions, 0)
        / nullif(cast(topic_totals.n_topic_questions as double), 0) as share_of_topic_questions,
        rank() over (
            order by coalesce(questions_per_tag.n_questions, 0) desc
        ) as rank,
        topic_totals.is_synthetic

    from topic_tags
    cross join topic_totals
    left join questions_per_tag
        on topic_tags.tag = questions_per_tag.tag

)

select * from final
