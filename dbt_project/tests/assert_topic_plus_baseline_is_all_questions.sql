{# Every question of the window is in fct_questions exactly once, as topic or as baseline. #}
with

questions as (

    select * from {{ ref('stg_stackexchange__questions') }}

),

fct_questions as (

    select * from {{ ref('fct_questions') }}

),

in_window as (

    select count(*) as n_questions

    from questions
    where {{ in_window('created_at') }}

),

by_group as (

    select
        sum(case when question_group = 'topic' then 1 else 0 end) as n_topic,
        sum(case when question_group = 'baseline' then 1 else 0 end) as n_baseline,
        count(distinct question_id) as n_distinct

    from fct_questions

)

select
    in_window.*,
    by_group.*

from in_window
cross join by_group
where
    coalesce(by_group.n_topic, 0) + coalesce(by_group.n_baseline, 0) != in_window.n_questions
    or by_group.n_distinct != in_window.n_questions
