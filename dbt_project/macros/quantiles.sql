{#-
    Exact quantiles with linear interpolation (DuckDB's quantile_cont, Spark's percentile: the
    same definition), so both engines give the same figures (README "Running on Spark").
-#}

{#- The `fraction` quantile of `expression` in a group (an aggregate). -#}
{% macro quantile_cont(expression, fraction) -%}
    {{ return(adapter.dispatch('quantile_cont')(expression, fraction)) }}
{%- endmacro %}

{% macro default__quantile_cont(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}

{% macro spark__quantile_cont(expression, fraction) -%}
    percentile(cast({{ expression }} as double), {{ fraction }})
{%- endmacro %}


{#-
    The quantiles of `expression` at each of `fractions` (a list of numbers) in a group, as an
    array in the order of `fractions`: one sort for all of them. Read them with array_element.
-#}
{% macro quantiles_cont(expression, fractions) -%}
    {{ return(adapter.dispatch('quantiles_cont')(expression, fractions)) }}
{%- endmacro %}

{% macro default__quantiles_cont(expression, fractions) -%}
    quantile_cont({{ expression }}, [{{ fractions | join(', ') }}])
{%- endmacro %}

{% macro spark__quantiles_cont(expression, fractions) -%}
    percentile(cast({{ expression }} as double), array({{ fractions | join(', ') }}))
{%- endmacro %}
