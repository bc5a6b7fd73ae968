{#- One finding per row of `relation` whose `total` (shares or weights) is above 1 (with a 1e-6
    tolerance): expected 1, actual and difference rounded to the cent. -#}
{% macro value_over_one_finding(relation, check_name, entity_type, entity_id, total) -%}
    select
        '{{ check_name }}' as check_name,
        '{{ entity_type }}' as entity_type,
        {{ entity_id }} as entity_id,
        source_file,
        cast(null as {{ dbt.type_string() }}) as currency,
        cast(1 as decimal(18, 2)) as expected_amount,
        cast(round({{ total }}, 2) as decimal(18, 2)) as actual_amount,
        cast(round({{ total }} - 1, 2) as decimal(18, 2)) as difference_amount,
        {{ caller() }} as detail,
        true as is_issue
    from {{ relation }}
    where {{ total }} > 1.000001
{%- endmacro %}
