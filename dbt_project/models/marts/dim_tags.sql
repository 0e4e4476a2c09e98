with

questions as (

    select * from {{ ref('fct_questions') }}

),


tags as (

    select * from {{ ref('stg_stackexchange__tags') }}

),

topic_tags as (

    select * from {{ ref('int_selected_topic_tags') }}

),

{# fct_questions.tags holds every tag of each question of the window: no join to question_tags. #}
question_tags_in_window as (

    select
        unnest(tags) as tag,
        question_group

    from questions

),

tag_counts_in_window as (

    select
        tag,
        count(*) as n_questions_in_window,
        sum(case when question_group = 'topic' then 1 else 0 end) as n_topic_questions

    from question_tags_in_window
    group by 1

),

all_tags as (

    select tag from tag_counts_in_window
    union
    select tag from topic_tags
    union
    select tag from tags

),

final as (

    select
        all_tags.tag,
        '{{ var("topic") }}' as topic,
        topic_tags.tag is not null as is_topic_tag,
        topic_tags.tag_kind,
        coalesce(topic_tags.in_initial_set, false) as in_initial_set,
        coalesce(tag_counts_in_window.n_questions_in_window, 0) as n_questions_in_window,
        coalesce(tag_counts_in_window.n_topic_questions, 0) as n_topic_questions,
        tags.site_question_count,
        tags.has_synonyms,
        tags.is_moderator_only,
        tags.is_required,
        tags.data_source,
        tags.is_synthetic

    from all_tags
    left join topic_tags
        on all_tags.tag = topic_tags.tag
    left join tag_counts_in_window
        on all_tags.tag = tag_counts_in_window.tag
    left join tags
        on all_tags.tag = tags.tag

)

select * from final
