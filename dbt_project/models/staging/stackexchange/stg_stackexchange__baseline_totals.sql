{%- set raw_columns = raw_column_types('baseline_totals') -%}

with

source as (

    select * from {{ raw_source('baseline_totals', optional=true, empty_columns={
        'site': dbt.type_string(), 'year': 'bigint', 'population': dbt.type_string(), 'accepted_filter': dbt.type_string(),
        'total': 'bigint', 'from_date': 'bigint', 'to_date': 'bigint', 'topic_tags': dbt.type_string(),
        'is_synthetic': 'boolean'
    }) }}

),

renamed as (

    select
        site,
        cast(year as integer) as year,
        population,
        accepted_filter,
        total as n_questions,
        {{ to_utc_timestamp(raw_columns, 'from_date') }} as from_at,
        {{ to_utc_timestamp(raw_columns, 'to_date') }} as to_at,
        topic_tags,
        is_synthetic

    from source

)

select * from renamed
