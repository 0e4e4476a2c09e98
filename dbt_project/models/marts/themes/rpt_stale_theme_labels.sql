{#
    Researcher labels that name no theme of their topic's current fit: written for an earlier fit
    (another fingerprint) or for a theme number the fit does not have. They are never applied.
#}
with

theme_labels as (

    select * from {{ ref('theme_labels') }}

),

themes as (

    select * from {{ ref('dim_themes') }}

),

current_fits as (

    select distinct
        topic,
        fit_fingerprint

    from themes

),

final as (

    select
        theme_labels.topic,
        theme_labels.fingerprint,
        theme_labels.theme,
        theme_labels.label,
        theme_labels.note,
        current_fits.fit_fingerprint as current_fit_fingerprint

    from theme_labels
    left join current_fits
        on theme_labels.topic = current_fits.topic
    left join themes
        on
            theme_labels.topic = themes.topic
            and theme_labels.fingerprint = themes.fit_fingerprint
            and theme_labels.theme = themes.theme
    where themes.theme is null

)

select * from final
