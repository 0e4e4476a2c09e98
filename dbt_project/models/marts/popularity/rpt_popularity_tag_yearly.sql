with

questions as (

    select * from {{ ref('fct_questions') }}

),

question_topic_tags as (

    select * from {{ ref('int_questions_by_topic_tag') }}

),

topic_tags as (

    select * from {{ ref('int_topic_tags') }}

),

topic_years as (

    select * from {{ ref('int_topic_years') }}

),

counts as (

    select
        question_topic_tags.topic,
        question_topic_tags.tag,
        questions.creation_year as year,
        count(*) as n_questions

    from question_topic_tags
    inner join questions
        on
            question_topic_tags.site = questions.site
            and question_topic_tags.question_id = questions.question_id
    group by 1, 2, 3

),

final as (

    select
        topic_tags.topic,
        topic_tags.tag,
        topic_years.year,
        coalesce(counts.n_questions, 0) as n_questions

    from topic_tags
    inner join topic_years
        on topic_tags.topic = topic_years.topic
    left join counts
        on
            topic_tags.topic = counts.topic
            and topic_tags.tag = counts.tag
            and topic_years.year = counts.year

)

select * from final
