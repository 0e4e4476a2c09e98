{#
    Each modelled question's weight on every theme of its topic's selected fit; the dominant theme
    is the largest weight, ties to the lower theme number (docs/themes.md).
#}
with

theme_fits as (

    select * from {{ ref('int_theme_fits') }}

),

selected_documents as (

    select
        topic,
        fit_fingerprint,
        unnest(document_weights) as document_entry

    from theme_fits
    where is_selected

),

document_theme_weights as (

    select
        selected_documents.topic,
        selected_documents.fit_fingerprint,
        struct_extract(selected_documents.document_entry, 'site') as site,
        struct_extract(selected_documents.document_entry, 'question_id') as question_id,
        generate_subscripts(struct_extract(selected_documents.document_entry, 'weights'), 1)
            as theme,
        unnest(struct_extract(selected_documents.document_entry, 'weights')) as weight

    from selected_documents

),

ranked as (

    select
        *,
        row_number() over (
            partition by topic, site, question_id
            order by weight desc, theme asc
        ) as weight_rank

    from document_theme_weights

),

final as (

    select
        topic,
        site,
        question_id,
        cast(theme as bigint) as theme,
        weight,
        weight_rank = 1 as is_dominant_theme,
        fit_fingerprint

    from ranked

)

select * from final
