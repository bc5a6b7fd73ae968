{#- The WBS/PSP element of a worklog: the first of the attribute keys in var labour_wbs_attributes
    (the custom columns a Tempo export may carry) that has a value, trimmed. -#}
{% macro value_worklog_wbs_element(column) -%}
    {%- set keys = var('labour_wbs_attributes', ['PSP Element', 'PSP-Element', 'WBS Element', 'WBS-Element', 'WBS', 'PSP']) -%}
    nullif(trim(coalesce(
        {%- for key in keys %}
        {{ value_json_string(column, key) }}{{ ',' if not loop.last }}
        {%- endfor %}
    )), '')
{%- endmacro %}
