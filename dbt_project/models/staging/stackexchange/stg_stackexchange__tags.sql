with

source as (

    select * from {{ raw_source('tags', optional=true, empty_columns={
        'site': dbt.type_string(), 'name': dbt.type_string(), 'count': 'bigint', 'has_synonyms': 'boolean',
        'is_moderator_only': 'boolean', 'is_required': 'boolean', 'data_source': dbt.type_string(),
        'is_synthetic': 'boolean'
    }) }}

),

renamed as (

    select
        site,
        lower(name) as tag,
        count as site_question_count,
        has_synonyms,
        is_moderator_only,
        is_required,
        data_source,
        is_synthetic

    from source

)

select * from renamed
