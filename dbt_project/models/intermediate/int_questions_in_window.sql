with

questions as (

    select * from {{ ref('stg_stackexchange__questions') }}

),

tag_lists as (

    select * from {{ ref('stg_stackexchange__question_tag_lists') }}

),

answers as (

    select * from {{ ref('stg_stackexchange__answers') }}

),

topics as (

    select * from {{ ref('int_topics') }}

),

site_windows as (

    {{ disjoint_site_windows('topics') }}

),

{#
    The accepted answer's time per question, from three narrow columns: the question's
    accepted_answer_id is the site's own record; the answer may be missing from the data (not
    loaded, deleted), which leaves the time null but keeps the question. The questions are read
    from the staging view again, not the `questions` CTE: a CTE read twice is materialized whole
    by DuckDB, every column of every question (its cost: benchmarks/README.md).
#}
accepted_answer_times as (

    select
        accepted.site,
        accepted.question_id,
        answers.created_at as accepted_answer_created_at

    from {{ ref('stg_stackexchange__questions') }} as accepted
    inner join answers
        on
            accepted.site = answers.site
            and accepted.accepted_answer_id = answers.answer_id

),

{#
    The tags and the accepted answer's time first, the windows last: so DuckDB builds its hash
    tables on the narrow lists and times and streams the wide question rows past them. Filtering
    by window first made it estimate far fewer questions than that and hash the wide rows instead,
    slower and holding memory two dbt threads share (benchmarks/README.md).
#}
with_tags_and_accepted_answers as (

    select
        questions.*,
        cast(extract(year from questions.created_at) as integer) as creation_year,
        coalesce(tag_lists.tags, {{ empty_string_array() }}) as tags,
        accepted_answer_times.accepted_answer_created_at

    from questions
    left join tag_lists
        on
            questions.site = tag_lists.site
            and questions.question_id = tag_lists.question_id
    left join accepted_answer_times
        on
            questions.site = accepted_answer_times.site
            and questions.question_id = accepted_answer_times.question_id

),

{# Disjoint spans: a question inside several topic windows of its site is still one row. #}
in_window as (

    select with_tags_and_accepted_answers.*

    from with_tags_and_accepted_answers
    inner join site_windows
        on
            with_tags_and_accepted_answers.site = site_windows.site
            and with_tags_and_accepted_answers.created_at >= site_windows.span_start_at
            and with_tags_and_accepted_answers.created_at < site_windows.span_end_exclusive_at

)

select * from in_window
