{#
    Each theme's growth per year and per quarter, as Barua et al.'s LDA study of Stack Overflow
    measures it: questions whose dominant theme it is and their share of the period's modelled
    questions, absolute impact (the sum of every question's weight on the theme) and relative
    impact (that over the period's modelled questions) (docs/themes.md, "Trends").
#}
with

question_themes as (

    select * from {{ ref('fct_question_themes') }}

),

questions as (

    select * from {{ ref('fct_questions') }}

),

period_grains as (

    select 'year' as period_grain
    union all
    select 'quarter' as period_grain

),

weights_in_periods as (

    select
        question_themes.topic,
        question_themes.theme,
        question_themes.question_id,
        question_themes.site,
        question_themes.weight,
        question_themes.is_dominant_theme,
        grains.period_grain,
        case grains.period_grain
            when 'year' then cast({{ dbt.date_trunc('year', 'questions.created_at') }} as date)
            else cast({{ dbt.date_trunc('quarter', 'questions.created_at') }} as date)
        end as period_start

    from question_themes
    inner join questions
        on
            question_themes.site = questions.site
            and question_themes.question_id = questions.question_id
    cross join period_grains as grains

),

theme_periods as (

    select
        topic,
        theme,
        period_grain,
        period_start,
        sum(case when is_dominant_theme then 1 else 0 end) as n_questions,
        sum(weight) as absolute_impact

    from weights_in_periods
    group by 1, 2, 3, 4

),

period_totals as (

    select
        topic,
        period_grain,
        period_start,
        count(*) as n_period_questions

    from weights_in_periods
    where is_dominant_theme
    group by 1, 2, 3

),

final as (

    select
        theme_periods.topic,
        theme_periods.theme,
        theme_periods.period_grain,
        theme_periods.period_start,
        cast(theme_periods.n_questions as bigint) as n_questions,
        period_totals.n_period_questions,
        cast(theme_periods.n_questions as double) / period_totals.n_period_questions
            as question_share,
        theme_periods.absolute_impact,
        theme_periods.absolute_impact / period_totals.n_period_questions as relative_impact

    from theme_periods
    inner join period_totals
        on
            theme_periods.topic = period_totals.topic
            and theme_periods.period_grain = period_totals.period_grain
            and theme_periods.period_start = period_totals.period_start

)

select * from final
