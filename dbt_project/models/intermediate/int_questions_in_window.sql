with

questions as (

    select * from {{ ref('stg_stackexchange__questions') }}

),

question_tags as (

    select * from {{ ref('stg_stackexchange__question_tags') }}

),

topics as (

    select * from {{ ref('int_topics') }}

),

site_windows as (

    {{ disjoint_site_windows('topics') }}

),

{# Disjoint spans: a question inside several topic windows of its site is still one row. #}
questions_in_window as (

    select questions.*

    from questions
    inner join site_windows
        on
            questions.site = site_windows.site
            and questions.created_at >= site_windows.span_start_at
            and questions.created_at < site_windows.span_end_exclusive_at

),

{#
    Stack Exchange allows at most five tags per question, so the ordered list is built from five
    `any_value(case ...)` columns (skipping nulls): fixed-size aggregate states, where a
    list or ordered aggregate keeps a growing list per question (2-3x the time and memory at 10^7
    questions). The rare question with a tag_position outside 0-4 (synthetic data, a future site
    rule) gets its list from the exact ordered aggregate, computed for those questions only and
    from the staging view, not the `question_tags` CTE, which DuckDB would then hold in memory.
#}
tags_in_first_positions as (

    select
        question_tags.site,
        question_tags.question_id,
        {%- set tags_by_position = [] %}
        {%- for position in range(5) %}
            {%- do tags_by_position.append(any_non_null_value(
                'case when question_tags.tag_position = ' ~ position ~ ' then question_tags.tag end'
            )) %}
        {%- endfor %}
        {{ array_of_non_nulls(tags_by_position) }} as tags

    from question_tags
    group by 1, 2

),

questions_with_more_positions as (

    select distinct
        site,
        question_id

    from {{ ref('stg_stackexchange__question_tags') }}
    where coalesce(tag_position not between 0 and 4, true)

),

tags_of_questions_with_more_positions as (

    select
        all_question_tags.site,
        all_question_tags.question_id,
        {{ array_agg_ordered('all_question_tags.tag', 'all_question_tags.tag_position') }} as tags

    from {{ ref('stg_stackexchange__question_tags') }} as all_question_tags
    inner join questions_with_more_positions
        on
            all_question_tags.site = questions_with_more_positions.site
            and all_question_tags.question_id = questions_with_more_positions.question_id
    group by 1, 2

),

tags_per_question as (

    select
        tags_in_first_positions.site,
        tags_in_first_positions.question_id,
        coalesce(tags_of_questions_with_more_positions.tags, tags_in_first_positions.tags) as tags

    from tags_in_first_positions
    left join tags_of_questions_with_more_positions
        on
            tags_in_first_positions.site = tags_of_questions_with_more_positions.site
            and tags_in_first_positions.question_id
            = tags_of_questions_with_more_positions.question_id

),

with_tags as (

    select
        questions_in_window.*,
        cast(extract(year from questions_in_window.created_at) as integer) as creation_year,
        coalesce(tags_per_question.tags, {{ empty_string_array() }}) as tags

    from questions_in_window
    left join tags_per_question
        on
            questions_in_window.site = tags_per_question.site
            and questions_in_window.question_id = tags_per_question.question_id

)

select * from with_tags
