{#- date + n days, as a date (dbt.dateadd returns a timestamp on DuckDB). -#}
{% macro add_days(date_expr, days_expr) -%}
    cast({{ dbt.dateadd('day', days_expr, date_expr) }} as date)
{%- endmacro %}
