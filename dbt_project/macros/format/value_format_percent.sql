{% macro value_format_percent(expr) -%}
    cast(cast(round({{ expr }} * 100, 0) as integer) as {{ dbt.type_string() }}) || ' %'
{%- endmacro %}
