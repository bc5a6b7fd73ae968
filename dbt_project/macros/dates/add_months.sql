{#- first day of the month + n months, as a date. -#}
{% macro add_months(date_expr, months_expr) -%}
    cast({{ dbt.dateadd('month', months_expr, date_expr) }} as date)
{%- endmacro %}
