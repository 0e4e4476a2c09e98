{#
    Every number of themes fitted per topic with its coherence: the choice among them (the
    highest NPMI) and the evidence for it (docs/themes.md, "Choosing K").
#}
with

theme_fits as (

    select * from {{ ref('int_theme_fits') }}

),

final as (

    select
        topic,
        n_themes,
        is_selected,
        selection_measure,
        coherence_npmi,
        coherence_cv,
        log_likelihood_per_word,
        n_documents,
        n_documents_without_terms,
        n_vocabulary,
        n_themes_tried,
        seed,
        min_df,
        max_df_share,
        iterations,
        bigrams,
        library,
        fit_fingerprint,
        corpus_fingerprint,
        settings_fingerprint,
        fitted_at

    from theme_fits

)

select * from final
