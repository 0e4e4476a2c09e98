{#- Fails for every combination of `columns` of the model that is not a row of `to` (a composite foreign key). -#}
{% test keys_exist_in(model, columns, to) %}

select
    {% for column in columns -%}
        child.{{ column }}{{ "," if not loop.last }}
    {% endfor %}
from {{ model }} as child
left join {{ to }} as parent
    on
        {% for column in columns -%}
            child.{{ column }} = parent.{{ column }}{{ " and" if not loop.last }}
        {% endfor %}
where parent.{{ columns[0] }} is null

{% endtest %}
