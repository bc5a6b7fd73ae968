{#- True when the status name `status_name` (a SQL expression) is a waiting status: it matches one
    entry of var flow_waiting_statuses, case-insensitively and ignoring surrounding blanks. An entry
    with a '%' is a LIKE pattern ('Ready for %', 'Waiting%'); any other entry is an exact name.
    False when the name is null or the list is empty. -#}
{% macro value_is_waiting_status(status_name) -%}
    {%- set entries = var('flow_waiting_statuses', []) or [] -%}
    {%- if entries | length == 0 -%}
    false
    {%- else -%}
    coalesce(
        {%- for entry in entries %}
        {%- set literal = (entry | lower | trim | replace("'", "''")) %}
        lower(trim({{ status_name }})) {{ 'like' if '%' in entry else '=' }} '{{ literal }}'
        {{- ' or' if not loop.last }}
        {%- endfor %},
        false
    )
    {%- endif -%}
{%- endmacro %}
