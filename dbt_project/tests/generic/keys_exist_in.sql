{#- Fails for every `columns` combination of the model missing from `to` (a composite key). -#}
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
