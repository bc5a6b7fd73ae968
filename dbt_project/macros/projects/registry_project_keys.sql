{% macro registry_project_keys() -%}
    {{ return(['jira_project_keys', 'jira_epic_keys', 'msproject_names', 'finance_codes', 'tempo_account_keys']) }}
{%- endmacro %}
