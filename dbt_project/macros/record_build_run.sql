{#-
    on-run-end: one row per `dbt build`/`dbt run` in ops.build_runs (docs/contracts.md), so `ptmwh report`
    can refuse marts whose last build failed or that predate a load. A failed data test counts as an
    error: marts built past it may be wrong. `command` is `build` or `run`, followed by `--select ...`
    for a selective invocation. Other commands (test, seed, docs generate) leave the table alone.
-#}
{% macro record_build_run(results) -%}
    {%- if execute and flags.WHICH in ('build', 'run') -%}
        {%- set failed = [] -%}
        {%- for result in results -%}
            {%- if result.status in ('error', 'fail', 'runtime error') -%}
                {%- do failed.append(result.node.unique_id) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set status = 'error' if failed else 'success' -%}
        {#- A selective build (`--select`, as `ptmwh snowball` runs) rebuilt part of the marts. -#}
        {%- set selected = invocation_args_dict.get('select') or [] -%}
        {%- set selection = (' --select ' ~ (selected | join(' '))) if selected else '' -%}
        {%- set command = flags.WHICH ~ selection -%}
        {%- set string = dbt.type_string() -%}
        {%- set statements = [
            'create schema if not exists ops',
            'create table if not exists ops.build_runs (
                invocation_id ' ~ string ~ ',
                started_at timestamp,
                finished_at timestamp,
                status ' ~ string ~ ',
                n_nodes integer,
                n_errors integer,
                failed_nodes ' ~ string ~ ',
                dbt_version ' ~ string ~ ',
                command ' ~ string ~ '
            )',
            "insert into ops.build_runs values (
                '" ~ invocation_id ~ "',
                cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as timestamp),
                cast('" ~ modules.datetime.datetime.utcnow().strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as timestamp),
                '" ~ status ~ "',
                " ~ (results | length) ~ ",
                " ~ (failed | length) ~ ",
                " ~ ("'" ~ (failed | join(';')) ~ "'" if failed else 'null') ~ ",
                '" ~ dbt_version ~ "',
                '" ~ (command | replace("'", "''")) ~ "'
            )"
        ] -%}
        {{ hook_statements(statements) }}
    {%- endif -%}
{%- endmacro %}


{#- The statements of one hook: DuckDB runs them as one script; Spark runs one statement a call. -#}
{% macro hook_statements(statements) -%}
    {{ return(adapter.dispatch('hook_statements')(statements)) }}
{%- endmacro %}

{% macro default__hook_statements(statements) -%}
    {{ statements | join(';\n') }};
{%- endmacro %}

{% macro spark__hook_statements(statements) -%}
    {%- for statement in statements -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
{%- endmacro %}
