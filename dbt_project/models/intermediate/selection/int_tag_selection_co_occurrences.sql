{#
    One row per topic, round and tag outside T_r carried by a question of Q(T_r): how many of
    those questions carry it (the numerator of significance and relevance).
#}
with

round_tags as (

    select * from {{ ref('int_tag_selection_round_tags') }}

),

round_tag_questions as (

    select * from {{ ref('int_tag_selection_round_questions') }}

),

tag_lists as (

    select * from {{ ref('stg_stackexchange__question_tag_lists') }}

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

final as (

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

)

select * from final
