with

questions as (

    select * from {{ ref('fct_questions') }}

),

question_topic_tags as (

    select * from {{ ref('int_questions_by_topic_tag') }}

),

topic_questions_by_tag as (

    select
        question_topic_tags.topic,
        question_topic_tags.tag,
        question_topic_tags.tag_kind,
        questions.has_accepted_answer,
        questions.response_minutes,
        questions.answer_count,
        questions.view_count,
        questions.score,
        questions.favorite_count,
        questions.data_source,
        questions.is_synthetic

    from question_topic_tags
    inner join questions
        on
            question_topic_tags.site = questions.site
            and question_topic_tags.question_id = questions.question_id

),

{# Each topic tag's questions are its full population, as for the topic itself. #}
final as (

    select
        topic,
        tag,
        tag_kind,
        'full_population' as sampling_method,
        {{ difficulty_metrics() }},
        {{ popularity_metrics() }}

    from topic_questions_by_tag
    group by 1, 2, 3, 4

)

select * from final
