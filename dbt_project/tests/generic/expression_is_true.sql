{#- Fails with the rows where the boolean expression is false (null counts as passing only when
    the expression says so, e.g. `x is null or x >= 0`). -#}
{% test expression_is_true(model, expression, column_name=none) %}

select * from {{ model }} where not ({{ expression }})

{% endtest %}
