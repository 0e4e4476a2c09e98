with

source as (

    select * from {{ raw_source('baseline_sample_questions', optional=true, empty_columns={
        'site': dbt.type_string(), 'sample_run_id': dbt.type_string(), 'question_id': 'bigint'
    }) }}

),

renamed as (

    select
        site,
        cast(sample_run_id as {{ dbt.type_string() }}) as sample_run_id,
        question_id

    from source

)

select * from renamed
