{#- The registry columns (attributes, then keys) as a select list without a trailing comma.
    status_expr: the SQL for status (it keeps the name status); mandatory_expr: likewise for
    is_mandatory; with_is_closed: add is_closed (registry_is_closed) after the attributes. -#}
{% macro registry_project_columns(status_expr='status', with_is_closed=false, mandatory_expr='is_mandatory') -%}
    {%- set columns = [] -%}
    {%- for column in registry_project_attributes() -%}
        {%- if column == 'status' and status_expr != 'status' -%}
            {%- do columns.append(status_expr ~ ' as status') -%}
        {%- elif column == 'is_mandatory' and mandatory_expr != 'is_mandatory' -%}
            {%- do columns.append(mandatory_expr ~ ' as is_mandatory') -%}
        {%- else -%}
            {%- do columns.append(column) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if with_is_closed -%}
        {%- do columns.append(registry_is_closed() ~ ' as is_closed') -%}
    {%- endif -%}
    {%- do columns.extend(registry_project_keys()) -%}
    {{ columns | join(',\n        ') }}
{%- endmacro %}
