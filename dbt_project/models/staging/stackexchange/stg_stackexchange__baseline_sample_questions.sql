with

source as (

    select * from {{ raw_source('baseline_sample_questions', optional=true, empty_columns={
        'site': 'varchar', 'sample_run_id': 'varchar', 'question_id': 'bigint'
    }) }}

),

renamed as (

    select
        site,
        cast(sample_run_id as varchar) as sample_run_id,
        question_id

    from source

)

select * from renamed
