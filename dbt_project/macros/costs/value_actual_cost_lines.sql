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
