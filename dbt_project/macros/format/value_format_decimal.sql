{#- A number written into a sentence, to `places` decimals ('0.71'). -#}
{% macro value_format_decimal(expr, places=2) -%}
    cast(cast(round({{ expr }}, {{ places }}) as decimal(18, {{ places }})) as {{ dbt.type_string() }})
{%- endmacro %}
