{%- set raw_columns = raw_column_types('load_runs') -%}

with

source as (

    select * from {{ raw_source('load_runs', optional=true, empty_columns={
        'run_id': 'varchar', 'command': 'varchar', 'started_at': 'bigint', 'finished_at': 'bigint',
        'status': 'varchar', 'site': 'varchar', 'base_url': 'varchar', 'tags': 'varchar',
        'from_date': 'bigint', 'to_date': 'bigint', 'requests_made': 'bigint',
        'items_loaded': 'varchar', 'items_skipped': 'bigint', 'skipped_reasons': 'varchar',
        'quota_remaining': 'bigint', 'quota_max': 'bigint', 'message': 'varchar'
    }) }}

),

renamed as (

    select
        cast(run_id as varchar) as load_run_id,
        command,
        {{ to_utc_timestamp(raw_columns, 'started_at') }} as started_at,
        {{ to_utc_timestamp(raw_columns, 'finished_at') }} as finished_at,
        status,
        {{ optional_column(raw_columns, 'site', 'varchar') }} as site,
        {{ optional_column(raw_columns, 'base_url', 'varchar') }} as base_url,
        {{ optional_column(raw_columns, 'tags', 'varchar') }} as tags,
        {{ to_utc_timestamp(raw_columns, 'from_date') }} as from_at,
        {{ to_utc_timestamp(raw_columns, 'to_date') }} as to_at,
        {{ optional_column(raw_columns, 'dump_date', 'date') }} as dump_date,
        {{ optional_column(raw_columns, 'requests_made', 'bigint') }} as requests_made,
        {{ optional_column(raw_columns, 'items_loaded', 'varchar') }} as items_loaded,
        {{ optional_column(raw_columns, 'items_skipped', 'bigint') }} as items_skipped,
        {{ optional_column(raw_columns, 'skipped_reasons', 'varchar') }} as skipped_reasons,
        {{ optional_column(raw_columns, 'quota_remaining', 'bigint') }} as quota_remaining,
        {{ optional_column(raw_columns, 'quota_max', 'bigint') }} as quota_max,
        {{ optional_column(raw_columns, 'message', 'varchar') }} as message

    from source

)

select * from renamed
