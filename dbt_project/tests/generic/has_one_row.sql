{#- Fails unless the model has exactly one row (returns one row holding the count otherwise). -#}
{% test has_one_row(model) %}

select row_count
from (select count(*) as row_count from {{ model }}) as counted
where row_count <> 1

{% endtest %}
