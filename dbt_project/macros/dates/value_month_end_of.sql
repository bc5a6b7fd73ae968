{#- Last day of the month of a date expression, as a date on every engine. -#}
{% macro value_month_end_of(date_expr) -%}
    cast({{ dbt.last_day(date_expr, 'month') }} as date)
{%- endmacro %}
