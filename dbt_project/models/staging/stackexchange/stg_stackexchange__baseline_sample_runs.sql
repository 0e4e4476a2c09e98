{%- set raw_columns = raw_column_types('baseline_sample_runs') -%}

with

source as (

    select * from {{ raw_source('baseline_sample_runs', optional=true, empty_columns={
        'sample_run_id': 'varchar', 'seed': 'bigint', 'target_size': 'bigint', 'id_min': 'bigint',
        'id_max': 'bigint', 'ids_requested': 'bigint', 'questions_found': 'bigint',
        'topic_questions_dropped': 'bigint', 'sampled_at': 'bigint'
    }) }}

),

renamed as (

    select
        cast(sample_run_id as varchar) as sample_run_id,
        seed,
        target_size,
        id_min,
        id_max,
        ids_requested,
        questions_found,
        topic_questions_dropped,
        {{ to_utc_timestamp(raw_columns, 'sampled_at') }} as sampled_at

    from source

)

select * from renamed
