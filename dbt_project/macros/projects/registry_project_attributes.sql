{#- The project registry's descriptive attributes, in the order every registry model publishes them
    (registry_project_keys() follows them). -#}
{% macro registry_project_attributes() -%}
    {{ return([
        'project_name', 'portfolio', 'programme', 'sponsor', 'manager', 'status',
        'start_on', 'planned_finish_on', 'closed_on', 'is_mandatory'
    ]) }}
{%- endmacro %}
