{#- GL cost per project and posting month in the reporting currency, as a select over `gl_lines`
    (fct_gl_line): lines mapped to a project only; a month whose lines all lack an FX rate sums to
    null. The amount column is named `amount_name`. -#}
{% macro value_project_month_costs(gl_lines, amount_name) -%}
    select
        project_id,
        {{ value_month_of('posting_on') }} as month_start_on,
        sum(reporting_amount) as {{ amount_name }}
    from {{ gl_lines }}
    where project_id is not null
    group by project_id, {{ value_month_of('posting_on') }}
{%- endmacro %}
