{#
    One row per topic and candidate tag for a topic whose window holds questions of a dump of its
    site: the dump is the site's whole population there, so every tag's questions of the window
    are loaded, not only the topic's. Only the candidates' tags are counted, once per site and
    window whatever the number of its topics: their tag rows are picked by tag first, then their
    questions looked up by key. Questions are read from the staging view again, not the
    `questions` CTE (read once only).
#}
with

topics as (

    select * from {{ ref('int_topics') }}

),

candidates as (

    select * from {{ ref('int_tag_selection_candidates') }}

),

questions as (

    select * from {{ ref('stg_stackexchange__questions') }}

),

question_tags as (

    select * from {{ ref('stg_stackexchange__question_tags') }}

),

dump_windows as (

    select distinct
        topics.topic,
        topics.site,
        topics.window_start_at,
        topics.window_end_exclusive_at

    from topics
    inner join questions
        on
            topics.site = questions.site
            and {{ in_topic_window('questions.created_at', 'topics') }}
    where questions.collected_by = 'dump'

),

dump_window_spans as (

    select distinct
        site,
        window_start_at,
        window_end_exclusive_at

    from dump_windows

),

candidate_tag_names as (

    select distinct
        dump_windows.site,
        candidates.tag

    from dump_windows
    inner join candidates
        on dump_windows.topic = candidates.topic

),

candidate_tag_rows as (

    select
        question_tags.site,
        question_tags.question_id,
        question_tags.tag

    from question_tags
    inner join candidate_tag_names
        on
            question_tags.site = candidate_tag_names.site
            and question_tags.tag = candidate_tag_names.tag

),

window_candidate_counts as (

    select
        dump_window_spans.site,
        dump_window_spans.window_start_at,
        dump_window_spans.window_end_exclusive_at,
        candidate_tag_rows.tag,
        count(*) as n_questions

    from candidate_tag_rows
    inner join {{ ref('stg_stackexchange__questions') }} as window_questions
        on
            candidate_tag_rows.site = window_questions.site
            and candidate_tag_rows.question_id = window_questions.question_id
    inner join dump_window_spans
        on
            window_questions.site = dump_window_spans.site
            and {{ in_topic_window('window_questions.created_at', 'dump_window_spans') }}
    group by 1, 2, 3, 4

),

final as (

    select
        dump_windows.topic,
        window_candidate_counts.tag,
        window_candidate_counts.n_questions

    from dump_windows
    inner join window_candidate_counts
        on
            dump_windows.site = window_candidate_counts.site
            and dump_windows.window_start_at = window_candidate_counts.window_start_at
            and dump_windows.window_end_exclusive_at
            = window_candidate_counts.window_end_exclusive_at

)

select * from final
