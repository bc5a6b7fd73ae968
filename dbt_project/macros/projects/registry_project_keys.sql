{#- The project registry's keys that map tool exports (Jira, MS Project, finance) to a project, in
    the order every registry model publishes them, after registry_project_attributes(). -#}
{% macro registry_project_keys() -%}
    {{ return(['jira_project_keys', 'jira_epic_keys', 'msproject_names', 'finance_codes', 'tempo_account_keys']) }}
{%- endmacro %}
