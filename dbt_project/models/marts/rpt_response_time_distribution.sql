{# Bucket 0 is [0, 1) minute, bucket k >= 1 is [10^((k-1)/2), 10^(k/2)) minutes (to ~60 years). #}
{%- set n_buckets = 16 -%}
{%- set quantile_fractions = [
    0.10, 0.20, 0.25, 0.30, 0.40, 0.50, 0.60, 0.70, 0.75, 0.80, 0.90, 0.95, 0.99
] -%}

with

question_groups as (

    select * from {{ ref('fct_topic_question_groups') }}

),

answered as (

    select
        topic,
        question_group,
        sampling_method,
        response_minutes,
        case
            when response_minutes < 1 then 0
            else least(
                    cast(floor(2 * log10(response_minutes)) as integer) + 1,
                    {{ n_buckets - 1 }}
                )
        end as bucket_index,
        is_synthetic

    from question_groups
    where response_minutes is not null

),

buckets as (

    {{ log_minute_buckets(n_buckets) }}

),

{# One aggregation pass for the quantiles and every bucket's count (the input is read once). #}
group_statistics as (

    select
        topic,
        question_group,
        sampling_method,
        count(*) as n_with_response_time,
        {# One sort for all thirteen quantiles instead of one sort each. #}
        {{ quantiles_cont('response_minutes', quantile_fractions) }} as quantile_minutes,
        {%- for k in range(n_buckets) %}
            sum(case when bucket_index = {{ k }} then 1 else 0 end) as n_bucket_{{ k }},
        {%- endfor %}
        {{ dbt.bool_or('is_synthetic') }} as is_synthetic

    from answered
    group by 1, 2, 3

),

bucket_counts as (

    select
        group_statistics.*,
        buckets.bucket_index,
        buckets.bucket_low_minutes,
        buckets.bucket_high_minutes,
        cast(case buckets.bucket_index
            {%- for k in range(n_buckets) %}
                when {{ k }} then group_statistics.n_bucket_{{ k }}
            {%- endfor %}
        end as bigint) as n_questions

    from group_statistics
    cross join buckets

),

final as (

    select
        topic,
        question_group,
        sampling_method,
        bucket_index,
        bucket_low_minutes,
        bucket_high_minutes,
        n_questions,
        n_questions / cast(n_with_response_time as double) as bucket_share,
        sum(n_questions) over (
            partition by topic, question_group
            order by bucket_index
        ) / cast(n_with_response_time as double) as cumulative_share,
        n_with_response_time,
        {{ array_element('quantile_minutes', 1) }} as p10_minutes,
        {{ array_element('quantile_minutes', 2) }} as p20_minutes,
        {{ array_element('quantile_minutes', 3) }} as p25_minutes,
        {{ array_element('quantile_minutes', 4) }} as p30_minutes,
        {{ array_element('quantile_minutes', 5) }} as p40_minutes,
        {{ array_element('quantile_minutes', 6) }} as p50_minutes,
        {{ array_element('quantile_minutes', 7) }} as p60_minutes,
        {{ array_element('quantile_minutes', 8) }} as p70_minutes,
        {{ array_element('quantile_minutes', 9) }} as p75_minutes,
        {{ array_element('quantile_minutes', 10) }} as p80_minutes,
        {{ array_element('quantile_minutes', 11) }} as p90_minutes,
        {{ array_element('quantile_minutes', 12) }} as p95_minutes,
        {{ array_element('quantile_minutes', 13) }} as p99_minutes,
        is_synthetic

    from bucket_counts

)

select * from final
