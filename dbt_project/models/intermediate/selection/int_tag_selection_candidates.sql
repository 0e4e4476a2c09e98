{#
    A table (read by the candidates' counts, their decisions and the mart): one row per topic,
    round and candidate tag. A decided tag was a candidate of its round even when no relation or
    co-occurrence shows now.
#}
{{ config(materialized='table') }}

with

co_occurrences as (

    select * from {{ ref('int_tag_selection_co_occurrences') }}

),

decisions as (

    select * from {{ ref('int_tag_selection_decisions') }}

),

related_tags as (

    select * from {{ ref('int_tag_selection_related_tags') }}

),

final as (

    select
        topic,
        round,
        tag

    from co_occurrences
    union
    select
        topic,
        round,
        tag

    from decisions
    union
    select
        topic,
        round,
        tag

    from related_tags

)

select * from final
