with

topics as (

    select * from {{ ref('int_topics') }}

),

years as (

    {{ year_spine(2008, 2030) }}

),

{# A window year is the part of a calendar year inside the window, both ends inclusive. #}
window_years as (

    select
        topics.topic,
        topics.site,
        years.year,
        years.year_start_date,
        greatest(topics.window_start_date, years.year_start_date) as period_start_date,
        least(topics.window_end_date, years.year_end_date) as period_end_date,
        {{ dbt.datediff('years.year_start_date', 'years.next_year_start_date', 'day') }}
            as n_days_in_year

    from topics
    inner join years
        on
            topics.window_end_date >= years.year_start_date
            and topics.window_start_date <= years.year_end_date

),

final as (

    select
        *,
        {# bigint on every engine (Spark's datediff is an int). #}
        cast(
            {{ dbt.datediff('period_start_date', 'period_end_date', 'day') }} + 1 as bigint
        ) as n_days_in_window,
        {{ dbt.datediff('period_start_date', 'period_end_date', 'day') }} + 1 < n_days_in_year
            as is_partial_year

    from window_years

)

select * from final
