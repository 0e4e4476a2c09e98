{#-
    The raw table exists only after the first `ptmwh annotations import`; until then this model reads
    an empty relation of the same shape, so `dbt build` works on a fresh warehouse.
-#}
{%- set raw_labels = source('annotations', 'annotation_labels') -%}
{%- set has_raw_labels = false -%}
{%- if execute -%}
    {%- set has_raw_labels = load_relation(raw_labels) is not none -%}
{%- endif -%}
{%- set empty_labels -%}
    (
        select
            cast(null as {{ dbt.type_string() }}) as topic,
            cast(null as {{ dbt.type_bigint() }}) as question_id,
            cast(null as {{ dbt.type_string() }}) as annotator,
            cast(null as {{ dbt.type_string() }}) as code,
            cast(null as {{ dbt.type_string() }}) as phase,
            cast(null as {{ dbt.type_string() }}) as source_file,
            cast(null as {{ dbt.type_timestamp() }}) as imported_at,
            cast(null as boolean) as is_synthetic
        where 1 = 0
    ) as empty_labels
{%- endset %}

with

source as (

    select * from {{ raw_labels if has_raw_labels else empty_labels }}

),

renamed as (

    select
        topic,
        cast(question_id as {{ dbt.type_bigint() }}) as question_id,
        trim(annotator) as annotator,
        trim(code) as code,
        lower(trim(annotator)) = 'resolved' as is_resolution,
        lower(trim(phase)) as phase,
        source_file,
        {{ tz_to_utc_timestamp('imported_at') if has_raw_labels else 'imported_at' }}
            as imported_at,
        is_synthetic
    from source

)

select * from renamed
