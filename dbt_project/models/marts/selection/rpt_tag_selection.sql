{#
    The snowball tag selection of §III, round by round. T_r, the tag set of round r, is the topic's
    initial tags plus the tags accepted in rounds before r; Q(T_r) its questions (the topic's site,
    inside its window). The candidates of round r are the tags the site relates to a tag of T_r
    and the tags co-occurring on Q(T_r), outside T_r. The rounds are those with decisions plus the
    open one (the round after the last round that accepted a tag; round 1 with no decisions).
#}
with

topics as (

    select * from {{ ref('int_topics') }}

),

topic_tags as (

    select * from {{ ref('int_topic_tags') }}

),

decisions as (

    select * from {{ ref('topic_tag_decisions') }}

),

member_question_tags as (

    select * from {{ ref('int_questions_by_topic_tag') }}

),

tag_lists as (

    select * from {{ ref('stg_stackexchange__question_tag_lists') }}

),

related_tags as (

    select * from {{ ref('stg_stackexchange__related_tags') }}

),

site_tags as (

    select * from {{ ref('stg_stackexchange__tags') }}

),

load_runs as (

    select * from {{ ref('stg_stackexchange__load_runs') }}

),

questions as (

    select * from {{ ref('stg_stackexchange__questions') }}

),

question_tags as (

    select * from {{ ref('stg_stackexchange__question_tags') }}

),

clean_decisions as (

    select
        topic,
        round,
        lower(tag) as tag,
        decision,
        reason

    from decisions

),

last_rounds as (

    select
        topic,
        max(round) as last_round

    from clean_decisions
    group by 1

),

last_round_accepts as (

    select
        last_rounds.topic,
        last_rounds.last_round,
        {{ dbt.bool_or("clean_decisions.decision = 'accept'") }} as has_accept

    from last_rounds
    inner join clean_decisions
        on
            last_rounds.topic = clean_decisions.topic
            and last_rounds.last_round = clean_decisions.round
    group by 1, 2

),

{# The round `ptmwh snowball` records into: a round that accepted nothing stays current. #}
current_rounds as (

    select
        topics.topic,
        topics.site,
        case
            when last_round_accepts.topic is null then 1
            when last_round_accepts.has_accept then last_round_accepts.last_round + 1
            else last_round_accepts.last_round
        end as current_round

    from topics
    left join last_round_accepts
        on topics.topic = last_round_accepts.topic

),

topic_rounds as (

    select distinct
        current_rounds.topic,
        current_rounds.site,
        clean_decisions.round,
        current_rounds.current_round

    from current_rounds
    inner join clean_decisions
        on current_rounds.topic = clean_decisions.topic
    union
    select
        topic,
        site,
        current_round as round,
        current_round

    from current_rounds

),

{# is_in_round_set: the tag is in T_r; else it is accepted in round r (it is in T_(r+1) only). #}
round_tags as (

    select
        topic_rounds.topic,
        topic_rounds.site,
        topic_rounds.round,
        topic_tags.tag,
        true as is_in_round_set

    from topic_rounds
    inner join topic_tags
        on topic_rounds.topic = topic_tags.topic
    where topic_tags.in_initial_set
    union all
    select
        topic_rounds.topic,
        topic_rounds.site,
        topic_rounds.round,
        clean_decisions.tag,
        clean_decisions.round < topic_rounds.round as is_in_round_set

    from topic_rounds
    inner join clean_decisions
        on
            topic_rounds.topic = clean_decisions.topic
            and topic_rounds.round >= clean_decisions.round
    where clean_decisions.decision = 'accept'

),

round_tag_questions as (

    select distinct
        round_tags.topic,
        round_tags.site,
        round_tags.round,
        round_tags.is_in_round_set,
        member_question_tags.question_id

    from round_tags
    inner join member_question_tags
        on
            round_tags.topic = member_question_tags.topic
            and round_tags.tag = member_question_tags.tag

),

round_sizes as (

    select
        topic_rounds.topic,
        topic_rounds.round,
        count(distinct case
            when round_tag_questions.is_in_round_set then round_tag_questions.question_id
        end) as n_topic_questions_before,
        count(distinct round_tag_questions.question_id) as n_topic_questions_after

    from topic_rounds
    left join round_tag_questions
        on
            topic_rounds.topic = round_tag_questions.topic
            and topic_rounds.round = round_tag_questions.round
    group by 1, 2

),

round_set_sizes as (

    select
        topic,
        round,
        count(distinct tag) as n_round_tags

    from round_tags
    where is_in_round_set
    group by 1, 2

),

round_questions as (

    select distinct
        topic,
        site,
        round,
        question_id

    from round_tag_questions
    where is_in_round_set

),

{# Each round question's tags, from its one tag list row (not every question's tag rows). #}
round_question_tags as (

    select
        round_questions.topic,
        round_questions.round,
        round_questions.question_id,
        {{ unnest_array('tag_lists.tags') }} as tag

    from round_questions
    inner join tag_lists
        on
            round_questions.site = tag_lists.site
            and round_questions.question_id = tag_lists.question_id

),

co_occurring as (

    select
        round_question_tags.topic,
        round_question_tags.round,
        round_question_tags.tag,
        count(distinct round_question_tags.question_id) as n_questions_together

    from round_question_tags
    left join round_tags
        on
            round_question_tags.topic = round_tags.topic
            and round_question_tags.round = round_tags.round
            and round_question_tags.tag = round_tags.tag
            and round_tags.is_in_round_set
    where round_tags.tag is null
    group by 1, 2, 3

),

related as (

    select
        round_tags.topic,
        round_tags.round,
        related_tags.related_tag as tag,
        min(related_tags.related_rank) as related_rank,
        {{ sorted_string_agg('related_tags.tag', ';', distinct=true) }} as related_to_tags

    from round_tags
    inner join related_tags
        on
            round_tags.site = related_tags.site
            and round_tags.tag = related_tags.tag
    left join round_tags as in_round_set
        on
            round_tags.topic = in_round_set.topic
            and round_tags.round = in_round_set.round
            and related_tags.related_tag = in_round_set.tag
            and in_round_set.is_in_round_set
    where
        round_tags.is_in_round_set
        and in_round_set.tag is null
    group by 1, 2, 3

),

{# A decided tag was a candidate of its round even when no relation or co-occurrence shows now. #}
candidates as (

    select
        topic,
        round,
        tag

    from co_occurring
    union
    select
        topic,
        round,
        tag

    from clean_decisions
    union
    select
        topic,
        round,
        tag

    from related

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

{#
    A topic whose window holds questions of a dump of its site: the dump is the site's whole
    population there, so every tag's questions of the window are loaded, not only the topic's.
#}
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

{#
    Only the candidates' tags are counted, once per site and window whatever the number of its
    topics: their tag rows are picked by tag first, then their questions looked up by key.
    Questions are read from the staging view again, not the `questions` CTE (read once only).
#}
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

dump_window_counts as (

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

),

{# The latest decision of a tag up to the round: a reject carries over to later rounds. #}
ranked_decisions as (

    select
        candidates.topic,
        candidates.round,
        candidates.tag,
        clean_decisions.round as decided_round,
        clean_decisions.decision,
        clean_decisions.reason,
        row_number() over (
            partition by candidates.topic, candidates.round, candidates.tag
            order by clean_decisions.round desc
        ) as decision_rank

    from candidates
    inner join clean_decisions
        on
            candidates.topic = clean_decisions.topic
            and candidates.tag = clean_decisions.tag
            and candidates.round >= clean_decisions.round

),

latest_decisions as (

    select * from ranked_decisions
    where decision_rank = 1

),

round_decision_counts as (

    select
        topic,
        round,
        count(*) as n_decisions,
        sum(case when decision = 'accept' then 1 else 0 end) as n_accepted

    from clean_decisions
    group by 1, 2

),

final as (

    select
        candidates.topic,
        topic_rounds.site,
        cast(candidates.round as integer) as round,
        candidates.tag,
        coalesce(co_occurring.n_questions_together, 0) as n_questions_together,
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
        coalesce(co_occurring.n_questions_together, 0) / nullif(
            cast(
                coalesce(
                    loaded_counts.n_questions,
                    dump_window_counts.n_questions,
                    site_tags.site_question_count
                ) as double
            ),
            0
        ) as significance,
        coalesce(co_occurring.n_questions_together, 0)
        / nullif(cast(round_sizes.n_topic_questions_before as double), 0) as relevance,
        related.tag is not null as is_related_tag,
        related.related_rank,
        related.related_to_tags,
        latest_decisions.decision,
        cast(latest_decisions.decided_round as integer) as decided_round,
        latest_decisions.reason,
        round_set_sizes.n_round_tags,
        round_sizes.n_topic_questions_before,
        round_sizes.n_topic_questions_after,
        round_sizes.n_topic_questions_after - round_sizes.n_topic_questions_before
            as n_questions_added,
        case
            when coalesce(round_decision_counts.n_accepted, 0) > 0 then 'accepted_tags'
            when coalesce(round_decision_counts.n_decisions, 0) > 0 then 'complete'
            else 'open'
        end as round_status,
        candidates.round = topic_rounds.current_round as is_current_round

    from candidates
    inner join topic_rounds
        on
            candidates.topic = topic_rounds.topic
            and candidates.round = topic_rounds.round
    inner join round_sizes
        on
            candidates.topic = round_sizes.topic
            and candidates.round = round_sizes.round
    left join round_set_sizes
        on
            candidates.topic = round_set_sizes.topic
            and candidates.round = round_set_sizes.round
    left join co_occurring
        on
            candidates.topic = co_occurring.topic
            and candidates.round = co_occurring.round
            and candidates.tag = co_occurring.tag
    left join related
        on
            candidates.topic = related.topic
            and candidates.round = related.round
            and candidates.tag = related.tag
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
    left join latest_decisions
        on
            candidates.topic = latest_decisions.topic
            and candidates.round = latest_decisions.round
            and candidates.tag = latest_decisions.tag
    left join round_decision_counts
        on
            candidates.topic = round_decision_counts.topic
            and candidates.round = round_decision_counts.round

)

select * from final
