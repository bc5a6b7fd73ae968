{#- A number written into a sentence (mart_value_optimization's reasons), the same on every engine:
    rounded to the unit with thousands separators ('-120,400'). -#}
{% macro value_format_amount(expr) -%}
    {%- if target.type == 'spark' -%}
        format_number(round({{ expr }}, 0), 0)
    {%- else -%}
        format('{:,}', cast(round({{ expr }}, 0) as bigint))
    {%- endif -%}
{%- endmacro %}
