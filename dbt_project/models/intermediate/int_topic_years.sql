with

topics as (

    select * from {{ ref('int_topics') }}

),

{# The calendar years from the earliest window's first to the latest window's last: any window
   a topic may have (ISO dates span fewer than 10,000 years), so no topic's window can fall
   outside the spine and break the build of the others. #}
spine_bounds as (

    select
        cast(
            {{ dbt.date_trunc('year', 'min(window_start_date)') }} as date
        ) as first_year_start_date,
        cast({{ dbt.date_trunc('year', 'max(window_end_date)') }} as date) as last_year_start_date

    from topics

),

year_offsets as (

    {{ integer_series(10000) }}

),

year_starts as (

    select
        cast(
            {{ dbt.dateadd('year', 'year_offsets.n', 'spine_bounds.first_year_start_date') }}
            as date
        ) as year_start_date

    from spine_bounds
    inner join year_offsets
        on
            year_offsets.n
            <= {{ dbt.datediff(
                'spine_bounds.first_year_start_date', 'spine_bounds.last_year_start_date', 'year'
            ) }}

),

year_bounds as (

    select
        year_start_date,
        cast({{ dbt.dateadd('year', 1, 'year_start_date') }} as date) as next_year_start_date

    from year_starts

),

years as (

    select
        cast(extract(year from year_start_date) as integer) as year,
        year_start_date,
        cast({{ dbt.dateadd('day', -1, 'next_year_start_date') }} as date) as year_end_date,
        next_year_start_date

    from year_bounds

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
