{#
    What the snapshot `snap_question_counts` records of each question at every build: its changing
    counts and tags, deleted ones included (unlike stg_stackexchange__questions: the snapshot must
    see a question go). `observed_at` is when this data was observed (`collected_at`: the dump's
    date or the API response's; `deleted_at` for a deletion), the start of a new version.
#}
{%- set question_columns = raw_column_types('questions') -%}
{%- set deleted_at = optional_column(question_columns, 'deleted_at', 'bigint') -%}

with

questions as (

    select * from {{ raw_source('questions') }}

),

question_tags as (

    select * from {{ raw_source('question_tags') }}

),

{#
    As in int_questions_in_window: five `any_value(case ...)` states per question (at most five
    tags on Stack Exchange), not an ordered aggregate that holds every question's tags at once
    (at 10^7 questions beside the marts it ran out of memory); a question with a position outside
    0-4 takes the ordered aggregate, computed for those questions only.
#}
tags_in_first_positions as (

    select
        site,
        question_id,
        concat_ws(
            ' ',
            {%- for position in range(5) %}
                any_value(case when tag_position = {{ position }} then lower(tag) end)
                {{- "," if not loop.last }}
            {%- endfor %}
        ) as tags

    from question_tags
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
        string_agg(
            lower(all_question_tags.tag), ' ' order by all_question_tags.tag_position
        ) as tags

    from {{ raw_source('question_tags') }} as all_question_tags
    inner join questions_with_more_positions
        on
            all_question_tags.site = questions_with_more_positions.site
            and all_question_tags.question_id = questions_with_more_positions.question_id
    group by 1, 2

),

tag_lists as (

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

final as (

    select
        questions.site,
        questions.question_id,
        {{ epoch_to_timestamp('questions.creation_date') }} as created_at,
        questions.score,
        questions.view_count,
        questions.answer_count,
        questions.accepted_answer_id,
        {{ deleted_at }} is not null as deleted,
        coalesce(tag_lists.tags, '') as tags,
        questions.collected_by,
        questions.data_source,
        questions.is_synthetic,
        {{ epoch_to_timestamp(
            'coalesce(' ~ deleted_at ~ ', questions.collected_at, questions.last_activity_date)'
        ) }} as observed_at

    from questions
    left join tag_lists
        on
            questions.site = tag_lists.site
            and questions.question_id = tag_lists.question_id

)

select * from final
