{#- The project registry's columns, in the order every registry model publishes them:
    registry_project_attributes() the descriptive attributes, registry_project_keys() the keys that
    map tool exports (Jira, MS Project, finance) to a project. -#}
{% macro registry_project_attributes() -%}
    {{ return([
        'project_name', 'portfolio', 'programme', 'sponsor', 'manager', 'status',
        'start_on', 'planned_finish_on', 'closed_on', 'is_mandatory'
    ]) }}
{%- endmacro %}
