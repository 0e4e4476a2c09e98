{#
    Each question's tags as one ordered, lower-cased list, for every raw question (deleted ones
    included): the one per-question aggregation of question_tags, read by the marts
    (int_questions_in_window, int_tag_selection_co_occurrences) and by the history across loads
    (stg_stackexchange__question_versions).
    A table, the exception among the staging views: computed once per build instead of once per
    reader (benchmarks/README.md). A question's tag rows are replaced as a whole and deleted with
    it (docs/contracts.md), so its list is either all live or all deleted, like the question.

    Stack Exchange allows at most five tags per question, so the list is built from five
    `any_value(case ...)` columns (skipping nulls): fixed-size aggregate states, where a list or
    ordered aggregate keeps a growing list per question, costing more time and memory
    (benchmarks/README.md). The rare question with a tag_position outside 0-4 (synthetic data, a
    future site rule) gets its list from the exact ordered aggregate, computed for those questions
    only and from the raw table again, not the `source` CTE, which DuckDB would then hold in
    memory.

    `n_tag_rows` counts the question's raw tag rows, so a test of each list (one distinct tag per
    row) checks the key of question_tags on 10^7 lists instead of 3 x 10^7 rows.
#}
{{ config(materialized='table') }}

with

source as (

    select * from {{ raw_source('question_tags') }}

),

tags_in_first_positions as (

    select
        site,
        question_id,
        {%- set tags_by_position = [] %}
        {%- for position in range(5) %}
            {%- do tags_by_position.append(any_non_null_value(
                'case when tag_position = ' ~ position ~ ' then lower(tag) end'
            )) %}
        {%- endfor %}
        {{ array_of_non_nulls(tags_by_position) }} as tags,
        count(*) as n_tag_rows

    from source
    group by 1, 2

),

questions_with_more_positions as (

    select distinct
        site,
        question_id

    from {{ raw_source('question_tags') }}
    where coalesce(tag_position not between 0 and 4, true)

),

tags_of_questions_with_more_positions as (

    select
        all_question_tags.site,
        all_question_tags.question_id,
        {{ array_agg_ordered('lower(all_question_tags.tag)', 'all_question_tags.tag_position') }}
            as tags

    from {{ raw_source('question_tags') }} as all_question_tags
    inner join questions_with_more_positions
        on
            all_question_tags.site = questions_with_more_positions.site
            and all_question_tags.question_id = questions_with_more_positions.question_id
    group by 1, 2

),

final as (

    select
        tags_in_first_positions.site,
        tags_in_first_positions.question_id,
        coalesce(tags_of_questions_with_more_positions.tags, tags_in_first_positions.tags) as tags,
        tags_in_first_positions.n_tag_rows

    from tags_in_first_positions
    left join tags_of_questions_with_more_positions
        on
            tags_in_first_positions.site = tags_of_questions_with_more_positions.site
            and tags_in_first_positions.question_id
            = tags_of_questions_with_more_positions.question_id

)

select * from final
