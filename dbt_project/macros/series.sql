{#-
    The integers 0..n-1 as a relation with one column `n`, for spines (int_topic_years): digits
    cross-joined, plain `union all` of literals, so it runs on any engine. n is a power of ten.
-#}
{% macro integer_series(n) -%}
    {%- set places = (n | string | length) - 1 -%}
    select
        {% for place in range(places) -%}
        digits_{{ place }}.digit * {{ 10 ** place }}{{ " + " if not loop.last }}
        {%- endfor %} as n
    from
        {% for place in range(places) -%}
        (
            {%- for digit in range(10) %}
            select {{ digit }} as digit{{ " union all" if not loop.last }}
            {%- endfor %}
        ) as digits_{{ place }}{{ "\n        cross join" if not loop.last }}
        {% endfor %}
{%- endmacro %}


{#-
    The response-time histogram of rpt_response_time_distribution: bucket 0 is [0, 1) minute,
    bucket k >= 1 is [10^((k-1)/2), 10^(k/2)) minutes (to ~60 years); the last one also holds
    longer times.
-#}
{% macro n_response_buckets() -%}
    {{ return(16) }}
{%- endmacro %}


{#- The histogram bucket of `minutes` (n_response_buckets); null for a null time. -#}
{% macro response_bucket_index(minutes) -%}
    case
        when {{ minutes }} < 1 then 0
        when {{ minutes }} >= 1
            then least(
                cast(floor(2 * log10({{ minutes }})) as integer) + 1, {{ n_response_buckets() - 1 }}
            )
    end
{%- endmacro %}


{#- The buckets' edges as a relation (bucket_index, bucket_low_minutes, bucket_high_minutes). -#}
{% macro log_minute_buckets() -%}
    {%- for k in range(n_response_buckets()) %}
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


{#-
    The union of the topics' windows per site as disjoint spans (site, span_start_at,
    span_end_exclusive_at): overlapping or touching windows merge into one span (gaps and islands).
    Joining questions to these spans on site and range gives each question at most one row, where a
    semi join to the topics themselves is planned by DuckDB as one row per question and topic.
    `topics` is a relation with site, window_start_at and window_end_exclusive_at (int_topics).
-#}
{% macro disjoint_site_windows(topics) -%}
    select
        site,
        min(window_start_at) as span_start_at,
        max(window_end_exclusive_at) as span_end_exclusive_at

    from (
        select
            site,
            window_start_at,
            window_end_exclusive_at,
            sum(starts_new_span) over (
                partition by site
                order by window_start_at, window_end_exclusive_at
                rows between unbounded preceding and current row
            ) as span_number

        from (
            select
                site,
                window_start_at,
                window_end_exclusive_at,
                case
                    when
                        window_start_at <= max(window_end_exclusive_at) over (
                            partition by site
                            order by window_start_at, window_end_exclusive_at
                            rows between unbounded preceding and 1 preceding
                        )
                        then 0
                    else 1
                end as starts_new_span

            from {{ topics }}
        ) as windows_marked
    ) as windows_numbered
    group by site, span_number
{%- endmacro %}
