{#-
    Fails for every combination of `columns` that occurs more than once (a composite key test).
    Rows are first grouped by one 64-bit hash of the key: on the 3 x 10^7 rows of a 10^7-question
    warehouse that is much cheaper than grouping by (site, question_id, tag) itself
    (benchmarks/README.md). Only keys whose hash repeats are then grouped exactly, so a hash
    collision costs a second look, never a false failure.
    With `complete`, a row with a null key column fails too, so one test stands for the key's
    not_null tests as well (one query where there were one per column).
-#}
{% test unique_combination(model, columns, complete=false) %}

{%- set key = columns | join(', ') %}

with

repeated_hashes as (

    select {{ row_hash(columns) }} as key_hash
    from {{ model }}
    group by 1
    having count(*) > 1

),

candidates as (

    select {{ key }}
    from {{ model }}
    where {{ row_hash(columns) }} in (select key_hash from repeated_hashes)

)

select
    {{ key }},
    count(*) as n_rows
from candidates
group by {{ key }}
having count(*) > 1
{%- if complete %}

union all

select
    {{ key }},
    1 as n_rows
from {{ model }}
where {% for column in columns %}{{ column }} is null{% if not loop.last %} or {% endif %}{% endfor %}
{%- endif %}

{% endtest %}
