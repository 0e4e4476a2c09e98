{#-
    Calendar years first_year..last_year as a `year` relation with each year's first day and the
    first day of the next year (dates), for zero-filled yearly series: join it to each topic's
    window (int_topic_years). Plain `union all` of literals, so it runs on any engine.
-#}
{% macro year_spine(first_year=2008, last_year=2030) -%}
    {%- for year in range(first_year, last_year + 1) %}
    select
        {{ year }} as year,
        cast('{{ year }}-01-01' as date) as year_start_date,
        cast('{{ year }}-12-31' as date) as year_end_date,
        cast('{{ year + 1 }}-01-01' as date) as next_year_start_date{{ " union all" if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#- Log-spaced response-time buckets: 0 is [0, 1) minute, k >= 1 is [10^((k-1)/2), 10^(k/2)). -#}
{% macro log_minute_buckets(n_buckets) -%}
    {%- for k in range(n_buckets) %}
    select
        {{ k }} as bucket_index,
        {{ 0 if k == 0 else 10 ** ((k - 1) / 2) }} as bucket_low_minutes,
        {{ 10 ** (k / 2) }} as bucket_high_minutes{{ " union all" if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#-
    Whether `column` (a timestamp) falls in the window of the topic row `topics` (an int_topics
    relation or alias): from window_start_at, up to but excluding window_end_exclusive_at (the day
    after the inclusive window_end_date).
-#}
{% macro in_topic_window(column, topics='int_topics') -%}
    {{ column }} >= {{ topics }}.window_start_at
    and {{ column }} < {{ topics }}.window_end_exclusive_at
{%- endmacro %}
