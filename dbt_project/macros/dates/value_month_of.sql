{#- First day of the month of a date expression, as a date on every engine. -#}
{% macro value_month_of(date_expr) -%}
    cast({{ dbt.date_trunc('month', date_expr) }} as date)
{%- endmacro %}
