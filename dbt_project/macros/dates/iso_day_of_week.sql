{#- ISO day of week (1 = Monday .. 7 = Sunday) without engine-specific functions (DuckDB's dayofweek
    counts Sunday as 0, Spark's as 1): days since Monday 2000-01-03, modulo 7. Valid from 2000-01-03. -#}
{% macro iso_day_of_week(date_expr) -%}
    (mod({{ dbt.datediff("cast('2000-01-03' as date)", date_expr, 'day') }}, 7) + 1)
{%- endmacro %}
