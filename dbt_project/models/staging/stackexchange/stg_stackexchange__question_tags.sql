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

)

select * from renamed
