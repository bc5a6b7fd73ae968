{#- Whole months from 2000-01 to the month of a date: a portable month index for trends. -#}
{% macro value_month_index(date_expr) -%}
    {{ dbt.datediff("cast('2000-01-01' as date)", value_month_of(date_expr), 'month') }}
{%- endmacro %}
