{#- Numbers written into sentences (mart_value_optimization's reasons), the same on every engine.
    value_format_amount: rounded to the unit with thousands separators ('-120,400');
    value_format_decimal: to `places` decimals ('0.71'); value_format_percent: a 0-1 ratio as '41 %'. -#}
{% macro value_format_amount(expr) -%}
    {%- if target.type == 'spark' -%}
        format_number(round({{ expr }}, 0), 0)
    {%- else -%}
        format('{:,}', cast(round({{ expr }}, 0) as bigint))
    {%- endif -%}
{%- endmacro %}
