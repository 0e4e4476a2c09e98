{#
    A table, not a view: DuckDB views keep the catalog name of the file they were built in, so a
    copied or renamed warehouse file could not read them. Each large input is streamed once (a CTE
    read twice would be materialized): members come from the small fct_topic_questions, the dump
    baseline from one pass over the topics' windows, the random sample from the small sample table.
#}

with

topics as (

    select * from {{ ref('int_topics') }}

),

questions as (

    select * from {{ ref('fct_questions') }}

),

topic_questions as (

    select * from {{ ref('fct_topic_questions') }}

),

baseline_sample_questions as (

    select * from {{ ref('stg_stackexchange__baseline_sample_questions') }}

),

members as (

    select
        topic,
        site,
        question_id,
        'topic' as question_group,
        'full_population' as sampling_method

    from topic_questions

),

{#
    Each dump question once with the list of topics it belongs to (a small aggregate), then the
    per-topic join: probing the members once per question, not once per topic and question.
#}
member_topics as (

    select
        site,
        question_id,
        {{ array_agg_unordered('topic') }} as topics

    from topic_questions
    group by 1, 2

),

dump_questions as (

    select
        questions.site,
        questions.question_id,
        questions.created_at,
        member_topics.topics as member_of_topics

    from questions
    left join member_topics
        on
            questions.site = member_topics.site
            and questions.question_id = member_topics.question_id
    where questions.collected_by = 'dump'

),

dump_baselines as (

    select
        topics.topic,
        dump_questions.site,
        dump_questions.question_id,
        'baseline' as question_group,
        'full_population' as sampling_method

    from dump_questions
    inner join topics
        on
            dump_questions.site = topics.site
            and {{ in_topic_window('dump_questions.created_at', 'topics') }}
    where not coalesce(
            {{ array_has('dump_questions.member_of_topics', 'topics.topic') }}, false
        )

),

{# Topics whose window holds dump questions beyond their members: their baseline is the dump. #}
dump_question_counts as (

    select
        topics.topic,
        count(*) as n_dump_questions

    from topics
    inner join questions
        on
            topics.site = questions.site
            and {{ in_topic_window('questions.created_at', 'topics') }}
    where questions.collected_by = 'dump'
    group by 1

),

dump_member_counts as (

    select
        topic_questions.topic,
        count(*) as n_dump_members

    from topic_questions
    inner join questions
        on
            topic_questions.site = questions.site
            and topic_questions.question_id = questions.question_id
    where questions.collected_by = 'dump'
    group by 1

),

topics_with_dump_baseline as (

    select dump_question_counts.topic

    from dump_question_counts
    left join dump_member_counts
        on dump_question_counts.topic = dump_member_counts.topic
    where dump_question_counts.n_dump_questions > coalesce(dump_member_counts.n_dump_members, 0)

),

sampled_questions as (

    select distinct
        site,
        question_id

    from baseline_sample_questions

),

sample_baselines as (

    select
        topics.topic,
        questions.site,
        questions.question_id,
        'baseline' as question_group,
        'random_sample' as sampling_method

    from sampled_questions
    inner join questions
        on
            sampled_questions.site = questions.site
            and sampled_questions.question_id = questions.question_id
    inner join topics
        on
            questions.site = topics.site
            and {{ in_topic_window('questions.created_at', 'topics') }}
    left join topics_with_dump_baseline
        on topics.topic = topics_with_dump_baseline.topic
    left join topic_questions
        on
            topics.topic = topic_questions.topic
            and questions.site = topic_questions.site
            and questions.question_id = topic_questions.question_id
    where
        topics_with_dump_baseline.topic is null
        and topic_questions.question_id is null

),

final as (

    select * from members
    union all
    select * from dump_baselines
    union all
    select * from sample_baselines

)

select * from final
