{#- The string value of `key` in a JSON object held in `column` (null when absent). -#}
{% macro value_json_string(column, key) -%}
    {%- if target.type == 'spark' -%}
        get_json_object({{ column }}, '$[''{{ key }}'']')
    {%- else -%}
        json_extract_string({{ column }}, '$."{{ key }}"')
    {%- endif -%}
{%- endmacro %}
