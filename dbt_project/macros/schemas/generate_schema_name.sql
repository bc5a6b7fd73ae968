{#- The schema of a model is the one its folder sets in dbt_project.yml (staging, intermediate, core,
    marts), exactly, not dbt's default <target schema>_<custom schema>; without one, the target's. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}
