{#
    A view: its dump baseline is one row per topic and question of the topic's site and window
    (five topics over 10^7 questions are 5 x 10^7 rows), so it is computed where it is read,
    streaming from fct_questions, instead of being written once and joined back for the figures.
    A view's text keeps the catalog name of the file it was built in, so every relation here is
    named without it (`include(database=false)`) and is a table: a copied or renamed warehouse
    file can still read the view.
#}
{{ config(materialized='view') }}

{%- set topics = ref('int_topics').include(database=false) -%}
{%- set topic_baselines = ref('int_topic_baselines').include(database=false) -%}
{%- set sample_baselines = ref('int_topic_sample_baselines').include(database=false) -%}
{%- set questions = ref('fct_questions').include(database=false) -%}
{%- set topic_questions = ref('fct_topic_questions').include(database=false) -%}
{%- set figures -%}
        questions.created_at,
        questions.has_accepted_answer,
        questions.response_minutes,
        questions.answer_count,
        questions.view_count,
        questions.collected_at,
        questions.data_source,
        questions.is_synthetic
{%- endset %}

with

members as (

    select
        topic_questions.topic,
        topic_questions.site,
        topic_questions.question_id,
        'topic' as question_group,
        'full_population' as sampling_method,
        {{ figures }}

    from {{ topic_questions }} as topic_questions
    inner join {{ questions }} as questions
        on
            topic_questions.site = questions.site
            and topic_questions.question_id = questions.question_id

),

dump_baselines as (

    select
        topics.topic,
        questions.site,
        questions.question_id,
        'baseline' as question_group,
        'full_population' as sampling_method,
        {{ figures }}

    from {{ questions }} as questions
    inner join {{ topics }} as topics
        on {{ is_site_window_question('questions', 'topics') }}
    inner join {{ topic_baselines }} as topic_baselines
        on topics.topic = topic_baselines.topic
    {{ join_topic_members('questions', 'topics', topic_questions) }}
    where
        topic_baselines.baseline_sampling_method = 'full_population'
        and questions.collected_by = 'dump'
        and {{ is_not_topic_member() }}

),

sample_baselines as (

    select
        sample_baselines.topic,
        sample_baselines.site,
        sample_baselines.question_id,
        'baseline' as question_group,
        'random_sample' as sampling_method,
        {{ figures }}

    from {{ sample_baselines }} as sample_baselines
    inner join {{ questions }} as questions
        on
            sample_baselines.site = questions.site
            and sample_baselines.question_id = questions.question_id

),

final as (

    select * from members
    union all
    select * from dump_baselines
    union all
    select * from sample_baselines

)

select * from final
