{#-
    The paper's three difficulty metrics (§V) over a set of questions, shared by rpt_difficulty and
    rpt_difficulty_by_tag: %no acc, response minutes of answered questions, and PD = avg answers /
    avg views, each with a closed-form 95% confidence interval (one pass, no resampling, so it scales
    to 10^7 rows). Use inside a `select ... group by`.
-#}
{% macro difficulty_metrics() -%}
    {%- set z = confidence_z() -%}
    {#- A sorted array per group: the order statistics of a group without a window sort. -#}
    {%- set sorted_response_minutes = sorted_array_agg('response_minutes') -%}
    {%- set avg_answers = 'avg(cast(answer_count as double))' -%}
    {%- set avg_views = 'avg(cast(view_count as double))' -%}
    {%- set ratio = avg_answers ~ ' / nullif(' ~ avg_views ~ ', 0)' -%}
    {%- set no_accepted = 'sum(case when not has_accepted_answer then 1 else 0 end)' -%}
    {#- Delta method: Var(avg a / avg v) ~ Var(a - R v) / (n avg(v)^2), R = avg a / avg v. -#}
    {%- set ratio_standard_error -%}
        sqrt(greatest(
            var_samp(answer_count)
            - 2 * ({{ ratio }}) * covar_samp(answer_count, view_count)
            + power({{ ratio }}, 2) * var_samp(view_count),
            0
        ) / count(*)) / nullif({{ avg_views }}, 0)
    {%- endset -%}
    {%- set mean_half_width -%}
        {{ z }} * stddev_samp(response_minutes) / sqrt(count(response_minutes))
    {%- endset -%}
    count(*) as n_questions,
    {{ no_accepted }} as n_no_accepted_answer,
    {#- Doubles, not 1.0/0.0: Spark averages decimal literals as decimals, rounded. -#}
    avg(cast(case when not has_accepted_answer then 1 else 0 end as double))
        as no_accepted_answer_rate,
    {{ wilson_interval(no_accepted, 'count(*)', 'low') }} as no_accepted_answer_rate_ci_low,
    {{ wilson_interval(no_accepted, 'count(*)', 'high') }} as no_accepted_answer_rate_ci_high,
    count(response_minutes) as n_with_response_time,
    avg(response_minutes) as mean_response_minutes,
    {{ clip_at_zero('avg(response_minutes) - ' ~ mean_half_width) }} as mean_response_minutes_ci_low,
    avg(response_minutes) + {{ mean_half_width }} as mean_response_minutes_ci_high,
    {{ quantile_cont('response_minutes', 0.5) }} as median_response_minutes,
    {{ array_element(sorted_response_minutes, median_rank('count(response_minutes)', 'low')) }}
        as median_response_minutes_ci_low,
    {{ array_element(sorted_response_minutes, median_rank('count(response_minutes)', 'high')) }}
        as median_response_minutes_ci_high,
    {{ avg_answers }} as avg_answer_count,
    {{ avg_views }} as avg_view_count,
    {{ ratio }} as answers_per_view,
    {{ clip_at_zero(ratio ~ ' - ' ~ z ~ ' * ' ~ ratio_standard_error) }} as answers_per_view_ci_low,
    {{ ratio }} + {{ z }} * {{ ratio_standard_error }} as answers_per_view_ci_high,
    {{ sorted_string_agg('data_source', ',', distinct=true) }} as data_source,
    {{ dbt.bool_or('is_synthetic') }} as is_synthetic
{%- endmacro %}


{#-
    `expression`, raised to 0 when negative (null stays null): the lower bound of a symmetric normal
    interval for a quantity that cannot be negative (minutes, answers per view).
-#}
{% macro clip_at_zero(expression) -%}
    case
        when ({{ expression }}) < 0 then 0.0
        else {{ expression }}
    end
{%- endmacro %}


{#- The two-sided 95% standard normal quantile, scipy.stats.norm.ppf(0.975). -#}
{% macro confidence_z() -%}
    1.959963984540054
{%- endmacro %}


{#-
    One bound ('low' or 'high') of the Wilson score interval for n_success out of n_total; null when
    n_total is 0 or null. The interval always holds the observed share k/n and lies in [0, 1]:
    least/greatest only undo floating-point rounding at k = 0 and k = n.
-#}
{% macro wilson_interval(n_success, n_total, bound) -%}
    {%- set z = confidence_z() -%}
    {%- set k = 'cast(' ~ n_success ~ ' as double)' -%}
    {%- set n = 'cast(nullif(' ~ n_total ~ ', 0) as double)' -%}
    {%- set sign = '-' if bound == 'low' else '+' -%}
    {%- set score_bound -%}
        (
            {{ k }} + {{ z }} * {{ z }} / 2
            {{ sign }} {{ z }} * sqrt({{ k }} * ({{ n }} - {{ k }}) / {{ n }} + {{ z }} * {{ z }} / 4)
        ) / ({{ n }} + {{ z }} * {{ z }})
    {%- endset -%}
    {%- set share = k ~ ' / ' ~ n -%}
    {%- if bound == 'low' -%}
        {%- set clipped = 'greatest(0, least(' ~ share ~ ', ' ~ score_bound ~ '))' -%}
    {%- else -%}
        {%- set clipped = 'least(1, greatest(' ~ share ~ ', ' ~ score_bound ~ '))' -%}
    {%- endif -%}
    {#- greatest/least ignore nulls in DuckDB, hence the explicit null guard. -#}
    case
        when {{ n }} is not null then {{ clipped }}
    end
{%- endmacro %}


{#-
    The rank ('low' or 'high') of the distribution-free order-statistic interval for a median of
    n values (binomial(n, 1/2) normal approximation): floor(n/2 - z sqrt(n)/2) and
    ceil(1 + n/2 + z sqrt(n)/2), clipped to [1, n].
-#}
{% macro median_rank(n, bound) -%}
    {%- set z = confidence_z() -%}
    {%- if bound == 'low' -%}
        greatest(1, cast(floor(cast({{ n }} as double) / 2 - {{ z }} * sqrt({{ n }}) / 2) as bigint))
    {%- else -%}
        least({{ n }}, cast(ceil(1 + cast({{ n }} as double) / 2 + {{ z }} * sqrt({{ n }}) / 2) as bigint))
    {%- endif -%}
{%- endmacro %}
