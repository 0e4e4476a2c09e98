{#
    One row per topic, round and candidate: the candidate's own questions (the window's loaded
    questions once they are loaded, else the site-wide count of `/tags/{tags}/info`) and the two
    co-occurrence measures, significance and relevance.
#}
with

topic_rounds as (

    select * from {{ ref('int_tag_selection_rounds') }}

),

candidates as (

    select * from {{ ref('int_tag_selection_candidates') }}

),

co_occurrences as (

    select * from {{ ref('int_tag_selection_co_occurrences') }}

),

round_sizes as (

    select * from {{ ref('int_tag_selection_round_sizes') }}

),

dump_window_counts as (

    select * from {{ ref('int_tag_selection_dump_window_counts') }}

),

topic_tags as (

    select * from {{ ref('int_topic_tags') }}

),

member_question_tags as (

    select * from {{ ref('int_questions_by_topic_tag') }}

),

load_runs as (

    select * from {{ ref('stg_stackexchange__load_runs') }}

),

site_tags as (

    select * from {{ ref('stg_stackexchange__tags') }}

),

{# A tag's questions are loaded once it is a topic tag and a completed load of its site named it. #}
loaded_tags as (

    select distinct
        topic_tags.topic,
        topic_tags.tag

    from topic_tags
    inner join load_runs
        on
            topic_tags.site = load_runs.site
            and {{ array_has(split_to_array('lower(load_runs.tags)', ';'), 'topic_tags.tag') }}
    where load_runs.status = 'completed'

),

loaded_counts as (

    select
        member_question_tags.topic,
        member_question_tags.tag,
        count(distinct member_question_tags.question_id) as n_questions

    from member_question_tags
    inner join loaded_tags
        on
            member_question_tags.topic = loaded_tags.topic
            and member_question_tags.tag = loaded_tags.tag
    group by 1, 2

),

candidate_counts as (

    select
        candidates.topic,
        candidates.round,
        candidates.tag,
        coalesce(co_occurrences.n_questions_together, 0) as n_questions_together,
        coalesce(
            loaded_counts.n_questions,
            dump_window_counts.n_questions,
            site_tags.site_question_count
        ) as n_questions,
        case
            when
                loaded_counts.tag is not null or dump_window_counts.tag is not null
                then 'loaded_questions'
            when site_tags.site_question_count is not null then 'site_tag_count'
        end as n_questions_source,
        round_sizes.n_topic_questions_before

    from candidates
    inner join topic_rounds
        on
            candidates.topic = topic_rounds.topic
            and candidates.round = topic_rounds.round
    inner join round_sizes
        on
            candidates.topic = round_sizes.topic
            and candidates.round = round_sizes.round
    left join co_occurrences
        on
            candidates.topic = co_occurrences.topic
            and candidates.round = co_occurrences.round
            and candidates.tag = co_occurrences.tag
    left join loaded_counts
        on
            candidates.topic = loaded_counts.topic
            and candidates.tag = loaded_counts.tag
    left join dump_window_counts
        on
            candidates.topic = dump_window_counts.topic
            and candidates.tag = dump_window_counts.tag
    left join site_tags
        on
            topic_rounds.site = site_tags.site
            and candidates.tag = site_tags.tag

),

final as (

    select
        topic,
        round,
        tag,
        n_questions_together,
        n_questions,
        n_questions_source,
        n_questions_together / nullif(cast(n_questions as double), 0) as significance,
        n_questions_together / nullif(cast(n_topic_questions_before as double), 0) as relevance

    from candidate_counts

)

select * from final
