with

source as (

    select * from {{ raw_source('related_tags', optional=true, empty_columns={
        'site': dbt.type_string(), 'tag': dbt.type_string(), 'related_tag': dbt.type_string(), 'count': 'bigint', 'related_rank': 'bigint'
    }) }}

),

renamed as (

    select
        site,
        lower(tag) as tag,
        lower(related_tag) as related_tag,
        count as n_questions_together,
        related_rank

    from source

)

select * from renamed
