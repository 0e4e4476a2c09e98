with

questions as (

    select * from {{ ref('fct_questions') }}

),

topic_questions as (

    select * from {{ ref('fct_topic_questions') }}

),

tags as (

    select * from {{ ref('stg_stackexchange__tags') }}

),

topic_tags as (

    select * from {{ ref('int_topic_tags') }}

),

{# fct_questions.tags holds every tag of each question of the windows: no join to question_tags. #}
question_tags_in_window as (

    select
        site,
        question_id,
        {{ unnest_array('tags') }} as tag

    from questions

),

topic_members as (

    select distinct
        site,
        question_id

    from topic_questions

),

tag_counts_in_window as (

    select
        question_tags_in_window.site,
        question_tags_in_window.tag,
        count(*) as n_questions_in_window,
        count(topic_members.question_id) as n_topic_questions

    from question_tags_in_window
    left join topic_members
        on
            question_tags_in_window.site = topic_members.site
            and question_tags_in_window.question_id = topic_members.question_id
    group by 1, 2

),

topic_tags_per_site as (

    select
        site,
        tag,
        {{ sorted_string_agg('topic', ';') }} as topics,
        min(tag_kind) as tag_kind,
        {{ dbt.bool_or('in_initial_set') }} as in_initial_set

    from topic_tags
    group by 1, 2

),

all_tags as (

    select
        site,
        tag

    from tag_counts_in_window
    union
    select
        site,
        tag

    from topic_tags_per_site
    union
    select
        site,
        tag

    from tags

),

final as (

    select
        all_tags.site,
        all_tags.tag,
        topic_tags_per_site.topics,
        topic_tags_per_site.tag is not null as is_topic_tag,
        topic_tags_per_site.tag_kind,
        coalesce(topic_tags_per_site.in_initial_set, false) as in_initial_set,
        coalesce(tag_counts_in_window.n_questions_in_window, 0) as n_questions_in_window,
        coalesce(tag_counts_in_window.n_topic_questions, 0) as n_topic_questions,
        tags.site_question_count,
        tags.has_synonyms,
        tags.is_moderator_only,
        tags.is_required,
        tags.data_source,
        tags.is_synthetic

    from all_tags
    left join topic_tags_per_site
        on
            all_tags.site = topic_tags_per_site.site
            and all_tags.tag = topic_tags_per_site.tag
    left join tag_counts_in_window
        on
            all_tags.site = tag_counts_in_window.site
            and all_tags.tag = tag_counts_in_window.tag
    left join tags
        on
            all_tags.site = tags.site
            and all_tags.tag = tags.tag

)

select * from final
