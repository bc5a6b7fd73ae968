{#- Elapsed seconds between two timestamps, and the same in days (double). -#}
{% macro seconds_between(start_ts, end_ts) -%}
    {{ dbt.datediff(start_ts, end_ts, 'second') }}
{%- endmacro %}
