{#
    One row per theme of each topic's selected fit. The label is the researcher's (seed
    theme_labels, matched on the fit's fingerprint) or else the theme's top three terms.
#}
with

theme_fits as (

    select * from {{ ref('int_theme_fits') }}

),

question_themes as (

    select * from {{ ref('fct_question_themes') }}

),

theme_labels as (

    select * from {{ ref('theme_labels') }}

),

selected_themes as (

    select
        topic,
        fit_fingerprint,
        n_themes,
        coherence_cv as fit_coherence_cv,
        coherence_npmi as fit_coherence_npmi,
        unnest(themes) as theme_entry

    from theme_fits
    where is_selected

),

themes as (

    select
        selected_themes.topic,
        selected_themes.fit_fingerprint,
        selected_themes.n_themes,
        selected_themes.fit_coherence_cv,
        selected_themes.fit_coherence_npmi,
        struct_extract(selected_themes.theme_entry, 'theme') as theme,
        struct_extract(selected_themes.theme_entry, 'coherence_npmi') as coherence_npmi,
        list_transform(
            struct_extract(selected_themes.theme_entry, 'terms'),
            term_entry -> struct_extract(term_entry, 'term')
        ) as top_terms,
        list_transform(
            struct_extract(selected_themes.theme_entry, 'terms'),
            term_entry -> struct_extract(term_entry, 'weight')
        ) as top_term_weights

    from selected_themes

),

dominant_counts as (

    select
        topic,
        theme,
        count(*) as n_questions

    from question_themes
    where is_dominant_theme
    group by 1, 2

),

final as (

    select
        themes.topic,
        cast(themes.theme as bigint) as theme,
        coalesce(
            theme_labels.label, array_to_string(list_slice(themes.top_terms, 1, 3), ', ')
        ) as theme_label,
        case when theme_labels.label is null then 'top_terms' else 'researcher' end as label_source,
        theme_labels.note as label_note,
        themes.top_terms,
        themes.top_term_weights,
        themes.coherence_npmi,
        coalesce(dominant_counts.n_questions, 0) as n_questions,
        themes.n_themes,
        themes.fit_coherence_cv,
        themes.fit_coherence_npmi,
        themes.fit_fingerprint

    from themes
    left join dominant_counts
        on
            themes.topic = dominant_counts.topic
            and themes.theme = dominant_counts.theme
    left join theme_labels
        on
            themes.topic = theme_labels.topic
            and themes.fit_fingerprint = theme_labels.fingerprint
            and themes.theme = theme_labels.theme

)

select * from final
