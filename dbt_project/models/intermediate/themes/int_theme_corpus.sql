{#
    The text each theme model reads: a topic's own questions in its window (a dump topic: its
    members, not the whole site), for the topics with a theme_models row. A topic of more than
    its row's max_questions is modelled on a uniform sample of that many, the questions of the
    smallest md5 of their key, so the same questions are drawn on every build (docs/themes.md,
    "Large topics"). The title stays HTML-encoded as both loaders store it, so one cleaning
    serves both.
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
        question_topic_tags.question_id,
        theme_models.max_questions

    from question_topic_tags
    inner join theme_models
        on question_topic_tags.topic = theme_models.topic

),

sampled_topic_questions as (

    select
        topic,
        site,
        question_id,
        max_questions,
        row_number() over (
            partition by topic
            order by md5(site || ':' || cast(question_id as varchar))
        ) as sample_rank

    from modelled_topic_questions

),

final as (

    select
        modelled_topic_questions.topic,
        modelled_topic_questions.site,
        modelled_topic_questions.question_id,
        questions.title_html as title,
        questions.body

    from sampled_topic_questions as modelled_topic_questions
    inner join questions
        on
            modelled_topic_questions.site = questions.site
            and modelled_topic_questions.question_id = questions.question_id
    where modelled_topic_questions.sample_rank <= modelled_topic_questions.max_questions

)

select * from final
