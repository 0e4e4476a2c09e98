{#
    What the snapshot `snap_question_counts` records of each question at every build: its changing
    counts and tags, deleted ones included (unlike stg_stackexchange__questions: the snapshot must
    see a question go). `observed_at` is when this data was observed (`collected_at`: the dump's
    date or the API response's; `deleted_at` for a deletion), the start of a new version.
#}
{% set question_columns = raw_column_types('questions') -%}
{%- set deleted_at = optional_column(question_columns, 'deleted_at', 'bigint') -%}

with

questions as (

    select * from {{ raw_source('questions') }}

),

tag_lists as (

    select * from {{ ref('stg_stackexchange__question_tag_lists') }}

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
        coalesce(array_to_string(tag_lists.tags, ' '), '') as tags,
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
