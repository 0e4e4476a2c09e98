{#
    The snowball tag selection of §III, round by round, assembled from its steps in
    models/intermediate/selection/ (_selection__models.yml there describes each): the rounds,
    the candidates, their counts and measures, and their decisions.
#}
with

topic_rounds as (

    select * from {{ ref('int_tag_selection_rounds') }}

),

round_sizes as (

    select * from {{ ref('int_tag_selection_round_sizes') }}

),

candidate_significance as (

    select * from {{ ref('int_tag_selection_candidate_significance') }}

),

related_tags as (

    select * from {{ ref('int_tag_selection_related_tags') }}

),

latest_decisions as (

    select * from {{ ref('int_tag_selection_latest_decisions') }}

),

final as (

    select
        candidate_significance.topic,
        topic_rounds.site,
        cast(candidate_significance.round as integer) as round,
        candidate_significance.tag,
        candidate_significance.n_questions_together,
        candidate_significance.n_questions,
        candidate_significance.n_questions_source,
        candidate_significance.significance,
        candidate_significance.relevance,
        related_tags.tag is not null as is_related_tag,
        related_tags.related_rank,
        related_tags.related_to_tags,
        latest_decisions.decision,
        cast(latest_decisions.decided_round as integer) as decided_round,
        latest_decisions.reason,
        round_sizes.n_round_tags,
        round_sizes.n_topic_questions_before,
        round_sizes.n_topic_questions_after,
        round_sizes.n_topic_questions_after - round_sizes.n_topic_questions_before
            as n_questions_added,
        topic_rounds.round_status,
        topic_rounds.is_current_round

    from candidate_significance
    inner join topic_rounds
        on
            candidate_significance.topic = topic_rounds.topic
            and candidate_significance.round = topic_rounds.round
    inner join round_sizes
        on
            candidate_significance.topic = round_sizes.topic
            and candidate_significance.round = round_sizes.round
    left join related_tags
        on
            candidate_significance.topic = related_tags.topic
            and candidate_significance.round = related_tags.round
            and candidate_significance.tag = related_tags.tag
    left join latest_decisions
        on
            candidate_significance.topic = latest_decisions.topic
            and candidate_significance.round = latest_decisions.round
            and candidate_significance.tag = latest_decisions.tag

)

select * from final
