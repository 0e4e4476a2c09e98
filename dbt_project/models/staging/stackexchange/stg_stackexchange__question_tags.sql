{%- set raw_columns = raw_column_types('question_tags') -%}

with

source as (

    select * from {{ raw_source('question_tags') }}

),

renamed as (

    select
        site,
        question_id,
        lower(tag) as tag,
        tag_position,
        _dlt_load_id as dlt_load_id

    from source
    {# The tags of a question a newer dump no longer holds stay in raw for history. #}
    where {{ optional_column(raw_columns, 'deleted_at', 'bigint') }} is null

)

select * from renamed
