{#- The digits 0-9 as a relation of one column, digit (value_month_spine's cross join). -#}
{% macro value_digits() -%}
    (
        select 0 as digit union all select 1 union all select 2 union all select 3 union all select 4
        union all select 5 union all select 6 union all select 7 union all select 8 union all select 9
    )
{%- endmacro %}
