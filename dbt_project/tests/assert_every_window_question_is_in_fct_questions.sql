{# Every loaded question inside some topic window of its site is in fct_questions exactly once. #}
with

questions as (

    select * from {{ ref('stg_stackexchange__questions') }}

),

topics as (

    select * from {{ ref('int_topics') }}

),

fct_questions as (

    select * from {{ ref('fct_questions') }}

),

in_some_window as (

    select count(*) as n_questions

    from questions
    where exists (
            select 1
            from topics
            where
                topics.site = questions.site
                and {{ in_topic_window('questions.created_at', 'topics') }}
        )

),

facts as (

    select count(*) as n_rows

    from fct_questions

)

select
    in_some_window.n_questions,
    facts.n_rows

from in_some_window
cross join facts
where in_some_window.n_questions != facts.n_rows
