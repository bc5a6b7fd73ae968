{#- Whether internal labour cost counts in actual cost (AC): dbt var labour_cost_in_ac (default true).
    False for an organisation that already posts its people's time to the GL: AC is then GL only
    and labour is shown beside it (mart_reconciliation, the *_labour_* columns), never added. -#}
{% macro value_labour_in_ac() -%}
    {{ return(var('labour_cost_in_ac', true) in [true, 'true', 'True', 1, '1']) }}
{%- endmacro %}

{#- The string value of `key` in a JSON object held in `column` (null when absent). -#}
{% macro value_json_string(column, key) -%}
    {%- if target.type == 'spark' -%}
        get_json_object({{ column }}, '$[''{{ key }}'']')
    {%- else -%}
        json_extract_string({{ column }}, '$."{{ key }}"')
    {%- endif -%}
{%- endmacro %}

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

{#- Actual cost lines in the reporting currency, as a select: the GL lines mapped to a project
    (fct_gl_line, by posting date) and, when var labour_cost_in_ac is true, the counted labour of
    fct_labour_cost (by work date, cost_source 'labour', no expense type). Columns: project_id,
    posting_on, reporting_amount, expense_type, is_fx_missing, cost_source ('gl' or 'labour'). The
    one definition of "AC in the reporting currency" for budget vs actual and the investment case. -#}
{% macro value_actual_cost_lines() -%}
    select
        project_id,
        posting_on,
        reporting_amount,
        expense_type,
        is_fx_missing,
        'gl' as cost_source
    from {{ ref('fct_gl_line') }}
    where project_id is not null
    {%- if value_labour_in_ac() %}

    union all

    select
        project_id,
        work_on as posting_on,
        cost_reporting_amount as reporting_amount,
        cast(null as varchar(10)) as expense_type,
        false as is_fx_missing,
        'labour' as cost_source
    from {{ ref('fct_labour_cost') }}
    where is_counted
    {%- endif %}
{%- endmacro %}
