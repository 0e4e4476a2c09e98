{#-
    on-run-end: one row per `dbt build`/`dbt run` in ops.build_runs (docs/contracts.md), so `ptmwh report`
    can refuse marts whose last build failed. A failed data test counts as an error: marts built past it
    may be wrong. Other commands (test, seed, docs generate) leave the table alone.
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
        create schema if not exists ops;
        create table if not exists ops.build_runs (
            invocation_id varchar,
            started_at timestamp,
            finished_at timestamp,
            status varchar,
            n_nodes integer,
            n_errors integer,
            failed_nodes varchar,
            dbt_version varchar,
            command varchar
        );
        insert into ops.build_runs values (
            '{{ invocation_id }}',
            cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp),
            cast('{{ modules.datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp),
            '{{ status }}',
            {{ results | length }},
            {{ failed | length }},
            nullif('{{ failed | join(";") }}', ''),
            '{{ dbt_version }}',
            '{{ flags.WHICH }}'
        );
    {%- endif -%}
{%- endmacro %}
