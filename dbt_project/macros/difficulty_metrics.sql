{#-
    The paper's three difficulty metrics (§V) over a set of questions, shared by rpt_difficulty and
    rpt_difficulty_by_tag: %no acc, response minutes of answered questions, and PD = avg answers /
    avg views, each with a closed-form 95% confidence interval (one pass, no resampling, so it scales
    to 10^7 rows). difficulty_metrics() aggregates rows directly (inside a `select ... group by`);
    rpt_difficulty computes the same estimates from int_question_group_sums and
    int_question_group_order_statistics.
-#}
{% macro difficulty_metrics() -%}
    {%- set sorted_response_minutes = sorted_array_agg('response_minutes') -%}
    {%- set value_at_rank = array_element(sorted_response_minutes, '__rank__') -%}
    {{ difficulty_estimates(difficulty_sums()) }},
    {{ median_estimates(value_at_rank, 'count(response_minutes)') }}
{%- endmacro %}


{#-
    The additive figures of a set of fct_questions rows, as aggregate expressions by column name:
    every difficulty estimate but the median's is a function of them (difficulty_estimates), and
    sums subtract, so a baseline that is a population less a topic's members is the population's
    sums less the members' (int_question_group_sums). PD's sums cover the questions with both
    counts, so its averages, variances and covariance describe the same questions.
-#}
{% macro difficulty_sums() -%}
    {%- set both_counts = 'answer_count is not null and view_count is not null' -%}
    {%- set answers = 'cast(case when ' ~ both_counts ~ ' then answer_count end as double)' -%}
    {%- set views = 'cast(case when ' ~ both_counts ~ ' then view_count end as double)' -%}
    {{ return({
        'n_questions': 'count(*)',
        'n_no_accepted_answer': 'sum(case when not has_accepted_answer then 1 else 0 end)',
        'n_with_response_time': 'count(response_minutes)',
        'sum_response_minutes': 'coalesce(sum(response_minutes), 0)',
        'sum_squared_response_minutes': 'coalesce(sum(response_minutes * response_minutes), 0)',
        'n_with_counts': 'sum(case when ' ~ both_counts ~ ' then 1 else 0 end)',
        'sum_answer_count': 'coalesce(sum(' ~ answers ~ '), 0)',
        'sum_view_count': 'coalesce(sum(' ~ views ~ '), 0)',
        'sum_squared_answer_count': 'coalesce(sum(' ~ answers ~ ' * ' ~ answers ~ '), 0)',
        'sum_squared_view_count': 'coalesce(sum(' ~ views ~ ' * ' ~ views ~ '), 0)',
        'sum_answer_view_products': 'coalesce(sum(' ~ answers ~ ' * ' ~ views ~ '), 0)',
        'n_from_api': "sum(case when data_source = 'api' then 1 else 0 end)",
        'n_from_dump': "sum(case when data_source = 'dump' then 1 else 0 end)",
        'n_synthetic': 'sum(case when is_synthetic then 1 else 0 end)'
    }) }}
{%- endmacro %}


{#-
    The estimates of §V from a group's sums (difficulty_sums: a mapping of each sum's name to an
    expression, aggregate or column): %no acc with its Wilson interval, the mean response time with
    a normal interval, and PD = avg answers / avg views with a delta-method interval. Sample
    variances come from the sums, (sum of squares - sum^2 / n) / (n - 1). `data_source` names the
    sources present (staging accepts only `api` and `dump`).
-#}
{% macro difficulty_estimates(s) -%}
    {%- set z = confidence_z() -%}
    {%- set n_counted = 'cast(' ~ s.n_with_counts ~ ' as double)' -%}
    {%- set avg_answers = s.sum_answer_count ~ ' / nullif(' ~ n_counted ~ ', 0)' -%}
    {%- set avg_views = s.sum_view_count ~ ' / nullif(' ~ n_counted ~ ', 0)' -%}
    {%- set ratio = '(' ~ avg_answers ~ ') / nullif(' ~ avg_views ~ ', 0)' -%}
    {%- set answers_variance = sample_covariance(
        s.sum_squared_answer_count, s.sum_answer_count, s.sum_answer_count, n_counted
    ) -%}
    {%- set views_variance = sample_covariance(
        s.sum_squared_view_count, s.sum_view_count, s.sum_view_count, n_counted
    ) -%}
    {%- set answers_views_covariance = sample_covariance(
        s.sum_answer_view_products, s.sum_answer_count, s.sum_view_count, n_counted
    ) -%}
    {#- Delta method: Var(avg a / avg v) ~ Var(a - R v) / (n avg(v)^2), R = avg a / avg v. -#}
    {%- set ratio_standard_error -%}
        sqrt(greatest(
            {{ answers_variance }}
            - 2 * ({{ ratio }}) * {{ answers_views_covariance }}
            + power({{ ratio }}, 2) * {{ views_variance }},
            0
        ) / {{ n_counted }}) / nullif({{ avg_views }}, 0)
    {%- endset -%}
    {{ s.n_questions }} as n_questions,
    {{ s.n_no_accepted_answer }} as n_no_accepted_answer,
    cast({{ s.n_no_accepted_answer }} as double) / nullif(cast({{ s.n_questions }} as double), 0)
        as no_accepted_answer_rate,
    {{ wilson_interval(s.n_no_accepted_answer, s.n_questions, 'low') }} as no_accepted_answer_rate_ci_low,
    {{ wilson_interval(s.n_no_accepted_answer, s.n_questions, 'high') }} as no_accepted_answer_rate_ci_high,
    {{ s.n_with_response_time }} as n_with_response_time,
    {{ mean_with_interval(
        s.n_with_response_time,
        s.sum_response_minutes,
        s.sum_squared_response_minutes,
        'mean_response_minutes',
        true
    ) }},
    {{ avg_answers }} as avg_answer_count,
    {{ avg_views }} as avg_view_count,
    {{ ratio }} as answers_per_view,
    {{ clip_at_zero(ratio ~ ' - ' ~ z ~ ' * ' ~ ratio_standard_error) }} as answers_per_view_ci_low,
    {{ ratio }} + {{ z }} * {{ ratio_standard_error }} as answers_per_view_ci_high,
    case
        when {{ s.n_from_api }} > 0 and {{ s.n_from_dump }} > 0 then 'api,dump'
        when {{ s.n_from_api }} > 0 then 'api'
        when {{ s.n_from_dump }} > 0 then 'dump'
    end as data_source,
    {{ s.n_synthetic }} > 0 as is_synthetic
{%- endmacro %}


{#-
    A mean from n, the sum and the sum of squares, and its normal 95% interval mean -/+ z sd /
    sqrt(n) (sample sd from the sums): columns `name`, `name`_ci_low and `name`_ci_high. The mean is
    null without values and the interval with fewer than two (its sample variance is undefined); a
    `non_negative` quantity's lower bound is raised to 0.
-#}
{% macro mean_with_interval(n, sum, sum_squared, name, non_negative) -%}
    {%- set z = confidence_z() -%}
    {%- set n_values = 'cast(' ~ n ~ ' as double)' -%}
    {%- set mean = sum ~ ' / nullif(' ~ n_values ~ ', 0)' -%}
    {%- set variance = sample_covariance(sum_squared, sum, sum, n_values) -%}
    {%- set half_width -%}
        case
            when {{ n }} > 1
                then {{ z }} * sqrt(greatest({{ variance }}, 0)) / sqrt({{ n_values }})
        end
    {%- endset -%}
    {%- set low = mean ~ ' - ' ~ half_width -%}
    {{ mean }} as {{ name }},
    {{ clip_at_zero(low) if non_negative else low }} as {{ name }}_ci_low,
    {{ mean }} + {{ half_width }} as {{ name }}_ci_high
{%- endmacro %}


{#-
    The sample covariance of x and y from sum(x y), sum(x), sum(y) and n: (sum(x y) - sum(x) sum(y)
    / n) / (n - 1); null for fewer than two values. With x = y, the sample variance.
-#}
{% macro sample_covariance(sum_of_products, sum_x, sum_y, n) -%}
    ({{ sum_of_products }} - ({{ sum_x }}) * ({{ sum_y }}) / nullif({{ n }}, 0)) / nullif({{ n }} - 1, 0)
{%- endmacro %}


{#-
    The median response time and its order-statistic interval (median_rank) from the group's
    order statistics: `value_at_rank` is an expression of the response time at rank `__rank__`
    (1-based, ascending), `n` the number of response times.
-#}
{% macro median_estimates(value_at_rank, n) -%}
    {{ quantile_from_order_statistics(value_at_rank, n, 0.5) }} as median_response_minutes,
    {{ value_at_rank.replace('__rank__', median_rank(n, 'low')) }} as median_response_minutes_ci_low,
    {{ value_at_rank.replace('__rank__', median_rank(n, 'high')) }} as median_response_minutes_ci_high
{%- endmacro %}


{#-
    The `fraction` quantile of n values with linear interpolation between order statistics, the
    definition of DuckDB's quantile_cont, Spark's percentile and numpy's default: position
    h = (n - 1) * fraction, the values at ranks floor(h) + 1 and ceil(h) + 1, weighted by h's
    fractional part. `value_at_rank` as in median_estimates.
-#}
{% macro quantile_from_order_statistics(value_at_rank, n, fraction) -%}
    {%- set position = '(cast(' ~ n ~ ' as double) - 1) * ' ~ fraction -%}
    {%- set low = value_at_rank.replace('__rank__', quantile_rank(n, fraction, 'low')) -%}
    {%- set high = value_at_rank.replace('__rank__', quantile_rank(n, fraction, 'high')) -%}
    {{ low }} + ({{ position }} - floor({{ position }})) * ({{ high }} - {{ low }})
{%- endmacro %}


{#- The rank (1-based) of the lower ('low') or upper ('high') order statistic of a quantile. -#}
{% macro quantile_rank(n, fraction, bound) -%}
    {%- set position = '(cast(' ~ n ~ ' as double) - 1) * ' ~ fraction -%}
    cast({{ 'floor' if bound == 'low' else 'ceil' }}({{ position }}) as bigint) + 1
{%- endmacro %}


{#- The fractions whose response-time quantiles rpt_response_time_distribution reports. -#}
{% macro response_quantile_fractions() -%}
    {{ return([0.10, 0.20, 0.25, 0.30, 0.40, 0.50, 0.60, 0.70, 0.75, 0.80, 0.90, 0.95, 0.99]) }}
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
