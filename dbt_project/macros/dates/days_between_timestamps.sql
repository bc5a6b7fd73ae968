{#- Elapsed days between two timestamps, as a double (seconds / 86400). -#}
{% macro days_between_timestamps(start_ts, end_ts) -%}
    ({{ dbt.datediff(start_ts, end_ts, 'second') }} / 86400.0)
{%- endmacro %}
