{#- A 0-1 ratio written into a sentence as a whole percentage ('41 %'). -#}
{% macro value_format_percent(expr) -%}
    cast(cast(round({{ expr }} * 100, 0) as integer) as {{ dbt.type_string() }}) || ' %'
{%- endmacro %}
