{# Every topic has exactly one current round: the one `ptmwh snowball` shows and records into. #}
with

topics as (

    select * from {{ ref('int_topics') }}

),

topic_rounds as (

    select * from {{ ref('int_tag_selection_rounds') }}

),

current_round_counts as (

    select
        topic,
        sum(case when is_current_round then 1 else 0 end) as n_current_rounds

    from topic_rounds
    group by 1

),

final as (

    select
        topics.topic,
        coalesce(current_round_counts.n_current_rounds, 0) as n_current_rounds

    from topics
    left join current_round_counts
        on topics.topic = current_round_counts.topic
    where coalesce(current_round_counts.n_current_rounds, 0) != 1

)

select * from final
