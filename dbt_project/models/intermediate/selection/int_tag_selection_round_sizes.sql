{# One row per topic and round: the size of T_r, and of Q(T_r) before and after its accepts. #}
with

topic_rounds as (

    select * from {{ ref('int_tag_selection_rounds') }}

),

round_tags as (

    select * from {{ ref('int_tag_selection_round_tags') }}

),

round_tag_questions as (

    select * from {{ ref('int_tag_selection_round_questions') }}

),

question_counts as (

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

tag_counts as (

    select
        topic,
        round,
        count(distinct tag) as n_round_tags

    from round_tags
    where is_in_round_set
    group by 1, 2

),

final as (

    select
        question_counts.topic,
        question_counts.round,
        tag_counts.n_round_tags,
        question_counts.n_topic_questions_before,
        question_counts.n_topic_questions_after

    from question_counts
    left join tag_counts
        on
            question_counts.topic = tag_counts.topic
            and question_counts.round = tag_counts.round

)

select * from final
