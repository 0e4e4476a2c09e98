{%- set raw_columns = raw_column_types('answers') -%}

with

source as (

    select * from {{ raw_source('answers') }}

),

renamed as (

    select
        site,
        answer_id,
        question_id,
        coalesce(is_accepted, false) as is_accepted,
        {{ to_utc_timestamp(raw_columns, 'creation_date') }} as created_at,
        {{ to_utc_timestamp(raw_columns, 'last_activity_date') }} as last_activity_at,
        score,
        {{ optional_column(raw_columns, 'owner_user_id', 'bigint') }} as owner_user_id,
        data_source,
        is_synthetic,
        _dlt_load_id as dlt_load_id

    from source
    {# Posts a newer dump of their site no longer holds stay in raw (docs/contracts.md). #}
    where {{ optional_column(raw_columns, 'deleted_at', 'bigint') }} is null

)

select * from renamed
