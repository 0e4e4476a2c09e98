{#-
    Whether this target keeps the questions' history across loads (the snapshot
    snap_question_counts and the models reading it): DuckDB does; a plain local SparkSession
    cannot run dbt-spark's snapshots (dbt_project.yml, docs/scale.md "Running on Spark").
-#}
{% macro keeps_history_across_loads() -%}
    {{ return(target.type != 'spark') }}
{%- endmacro %}
