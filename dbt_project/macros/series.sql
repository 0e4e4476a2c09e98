{#- The calendar years the window touches, as a `year` relation (for zero-filled series). -#}
{% macro window_years() -%}
    {%- set first_year = var('window_start')[:4] | int -%}
    {%- set last_year = var('window_end')[:4] | int -%}
    {%- for year in range(first_year, last_year + 1) %}
    select {{ year }} as year{{ " union all" if not loop.last }}
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


{#- Whether `column` (a timestamp) falls in the study window; the end date is inclusive. -#}
{% macro in_window(column) -%}
    {{ column }} >= cast('{{ var("window_start") }}' as timestamp)
    and {{ column }} < {{ dbt.dateadd('day', 1, "cast('" ~ var('window_end') ~ "' as timestamp)") }}
{%- endmacro %}
