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

window_years as (

    {{ window_years() }}

),

counts as (

    select
        question_topic_tags.tag,
        questions.creation_year as year,
        count(distinct questions.question_id) as n_questions

    from question_topic_tags
    inner join questions
        on question_topic_tags.question_id = questions.question_id
    group by 1, 2

),

final as (

    select
        topic_tags.topic,
        topic_tags.tag,
        window_years.year,
        coalesce(counts.n_questions, 0) as n_questions

    from topic_tags
    cross join window_years
    left join counts
        on
            topic_tags.tag = counts.tag
            and window_years.year = counts.year

)

select * from final
