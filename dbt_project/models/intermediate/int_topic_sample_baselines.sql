{#
    A table (small: the random sample's questions): fct_topic_question_groups (a view) reads it.
    One row per (topic, site, question_id) of a sampled question inside the topic's site and
    window that is not one of its members, for topics whose baseline is the random sample (the
    baseline rule: macros/topic_baselines.sql).
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
        on {{ is_site_window_question('questions', 'topics') }}
    inner join topic_baselines
        on topics.topic = topic_baselines.topic
    {{ join_topic_members('questions', 'topics', 'topic_questions') }}
    where
        topic_baselines.baseline_sampling_method = 'random_sample'
        and {{ is_not_topic_member() }}

)

select * from final
