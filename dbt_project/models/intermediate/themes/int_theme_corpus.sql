{#
    The text each theme model reads: a topic's own questions in its window (a dump topic: its
    members, not the whole site), for the topics with a theme_models row. The title stays
    HTML-encoded as both loaders store it, so one cleaning serves both (docs/themes.md).
#}
with

theme_models as (

    select * from {{ ref('theme_models') }}

),

question_topic_tags as (

    select * from {{ ref('int_questions_by_topic_tag') }}

),

questions as (

    select * from {{ ref('stg_stackexchange__questions') }}

),

modelled_topic_questions as (

    select distinct
        question_topic_tags.topic,
        question_topic_tags.site,
        question_topic_tags.question_id

    from question_topic_tags
    inner join theme_models
        on question_topic_tags.topic = theme_models.topic

),

final as (

    select
        modelled_topic_questions.topic,
        modelled_topic_questions.site,
        modelled_topic_questions.question_id,
        questions.title_html as title,
        questions.body

    from modelled_topic_questions
    inner join questions
        on
            modelled_topic_questions.site = questions.site
            and modelled_topic_questions.question_id = questions.question_id

)

select * from final
