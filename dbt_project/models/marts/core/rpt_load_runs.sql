with

load_runs as (

    select * from {{ ref('stg_stackexchange__load_runs') }}

),

final as (

    select
        load_run_id,
        command,
        started_at,
        finished_at,
        status,
        site,
        from_at,
        to_at,
        requests_made,
        items_loaded

    from load_runs

)

select * from final
