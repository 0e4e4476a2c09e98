{#
    Each question as it was at each completed load of its site: the snapshot version valid then,
    deleted ones left out, grouped as rpt_difficulty groups the questions of a full population:
    `topic` when a tag of that version is one of the topic's tags, `baseline` for the site's other
    dump questions in the topic's window. A dump is as of the end of its day (its versions are
    observed at its newest post or `--dump-date`), an API load as of its end.
#}

with

question_versions as (

    select * from {{ ref('snap_question_counts') }}

),

load_runs as (

    select * from {{ ref('stg_stackexchange__load_runs') }}

),

topics as (

    select * from {{ ref('int_topics') }}

),

topic_tags as (

    select * from {{ ref('int_topic_tags') }}

),

answers as (

    select * from {{ ref('stg_stackexchange__answers') }}

),

load_points as (

    select distinct
        site,
        coalesce(dump_date, cast(finished_at as date)) as load_date,
        case
            when dump_date is not null
                then {{ dbt.dateadd('day', 1, 'cast(dump_date as timestamp)') }}
            else finished_at
        end as as_of_at

    from load_runs
    where status = 'completed' and site is not null

),

versions_as_of as (

    select
        load_points.load_date,
        load_points.as_of_at,
        question_versions.*

    from load_points
    inner join question_versions
        on
            load_points.site = question_versions.site
            and load_points.as_of_at > question_versions.dbt_valid_from
            and (
                question_versions.dbt_valid_to is null
                or load_points.as_of_at <= question_versions.dbt_valid_to
            )
    where not question_versions.deleted

),

topic_tag_lists as (

    select
        topic,
        site,
        list(tag) as tags

    from topic_tags
    group by 1, 2

),

in_topic_windows as (

    select
        topics.topic,
        versions_as_of.*,
        list_has_any(string_split(versions_as_of.tags, ' '), topic_tag_lists.tags) as is_member

    from versions_as_of
    inner join topics
        on
            versions_as_of.site = topics.site
            and {{ in_topic_window('versions_as_of.created_at', 'topics') }}
    inner join topic_tag_lists
        on
            topics.topic = topic_tag_lists.topic
            and topics.site = topic_tag_lists.site

),

final as (

    select
        in_topic_windows.topic,
        in_topic_windows.site,
        in_topic_windows.question_id,
        in_topic_windows.load_date,
        in_topic_windows.as_of_at,
        case when in_topic_windows.is_member then 'topic' else 'baseline' end as question_group,
        in_topic_windows.accepted_answer_id is not null as has_accepted_answer,
        case
            when answers.created_at >= in_topic_windows.created_at
                then {{ dbt.datediff(
                    'in_topic_windows.created_at', 'answers.created_at', 'second'
                ) }} / 60.0
        end as response_minutes,
        in_topic_windows.answer_count,
        in_topic_windows.view_count,
        in_topic_windows.score,
        in_topic_windows.data_source,
        in_topic_windows.is_synthetic

    from in_topic_windows
    left join answers
        on
            in_topic_windows.site = answers.site
            and in_topic_windows.accepted_answer_id = answers.answer_id
    where in_topic_windows.is_member or in_topic_windows.collected_by = 'dump'

)

select * from final
