{%- set raw_columns = raw_column_types('load_runs') -%}

with

source as (

    select * from {{ raw_source('load_runs', optional=true, empty_columns={
        'run_id': dbt.type_string(), 'command': dbt.type_string(), 'started_at': 'bigint', 'finished_at': 'bigint',
        'status': dbt.type_string(), 'site': dbt.type_string(), 'base_url': dbt.type_string(), 'tags': dbt.type_string(),
        'from_date': 'bigint', 'to_date': 'bigint', 'requests_made': 'bigint',
        'items_loaded': dbt.type_string(), 'items_skipped': 'bigint', 'skipped_reasons': dbt.type_string(),
        'quota_remaining': 'bigint', 'quota_max': 'bigint', 'message': dbt.type_string()
    }) }}

),

renamed as (

    select
        cast(run_id as {{ dbt.type_string() }}) as load_run_id,
        command,
        {{ to_utc_timestamp(raw_columns, 'started_at') }} as started_at,
        {{ to_utc_timestamp(raw_columns, 'finished_at') }} as finished_at,
        status,
        {{ optional_column(raw_columns, 'site', dbt.type_string()) }} as site,
        {{ optional_column(raw_columns, 'base_url', dbt.type_string()) }} as base_url,
        {{ optional_column(raw_columns, 'tags', dbt.type_string()) }} as tags,
        {{ to_utc_timestamp(raw_columns, 'from_date') }} as from_at,
        {{ to_utc_timestamp(raw_columns, 'to_date') }} as to_at,
        {{ optional_column(raw_columns, 'dump_date', 'date') }} as dump_date,
        {{ optional_column(raw_columns, 'requests_made', 'bigint') }} as requests_made,
        {{ optional_column(raw_columns, 'items_loaded', dbt.type_string()) }} as items_loaded,
        {{ optional_column(raw_columns, 'items_skipped', 'bigint') }} as items_skipped,
        {{ optional_column(raw_columns, 'skipped_reasons', dbt.type_string()) }} as skipped_reasons,
        {{ optional_column(raw_columns, 'quota_remaining', 'bigint') }} as quota_remaining,
        {{ optional_column(raw_columns, 'quota_max', 'bigint') }} as quota_max,
        {{ optional_column(raw_columns, 'message', dbt.type_string()) }} as message

    from source

)

select * from renamed
