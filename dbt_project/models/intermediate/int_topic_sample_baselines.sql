{#
    A table (small: the random sample's questions): fct_topic_question_groups (a view) reads it.
    One row per (topic, site, question_id) of a sampled question inside the topic's site and
    window that is not one of its members, for topics whose baseline is the random sample.
#}
{{ config(materialized='table') }}

with

topics as (

    select * from {{ ref('int_topics') }}

),

topic_baselines as (

    select * from {{ ref('int_topic_baselines') }}

),

questions as (

    select * from {{ ref('stg_stackexchange__questions') }}

),

topic_questions as (

    select * from {{ ref('fct_topic_questions') }}

),

baseline_sample_questions as (

    select * from {{ ref('stg_stackexchange__baseline_sample_questions') }}

),

sampled_questions as (

    select distinct
        site,
        question_id

    from baseline_sample_questions

),

final as (

    select
        topics.topic,
        questions.site,
        questions.question_id

    from sampled_questions
    inner join questions
        on
            sampled_questions.site = questions.site
            and sampled_questions.question_id = questions.question_id
    inner join topics
        on
            questions.site = topics.site
            and {{ in_topic_window('questions.created_at', 'topics') }}
    inner join topic_baselines
        on topics.topic = topic_baselines.topic
    left join topic_questions
        on
            topics.topic = topic_questions.topic
            and questions.site = topic_questions.site
            and questions.question_id = topic_questions.question_id
    where
        topic_baselines.baseline_sampling_method = 'random_sample'
        and topic_questions.question_id is null

)

select * from final
