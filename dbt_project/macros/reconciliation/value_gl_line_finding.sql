{#-
  Reconciliation findings in mart_reconciliation's columns (check_name, entity_type, entity_id,
  source_file, currency, expected_amount, actual_amount, difference_amount, detail, is_issue), one
  row per finding. Call them with a call block whose body is the SQL of the detail text:
    {% call value_gl_line_finding('gl_lines', 'fx_rate_missing', 'is_fx_missing') %} 'no rate' {% endcall %}
-#}

{#- One finding per GL line of `gl_lines` (fct_gl_line) meeting `condition`: the line's amount as
    actual_amount, entity_id company_code/fiscal_year/document_number/line_item. -#}
{% macro value_gl_line_finding(gl_lines, check_name, condition) -%}
    select
        '{{ check_name }}' as check_name,
        'gl_line' as entity_type,
        company_code || '/' || cast(fiscal_year as {{ dbt.type_string() }}) || '/' || document_number
            || '/' || coalesce(line_item, '') as entity_id,
        source_file,
        currency,
        cast(null as decimal(18, 2)) as expected_amount,
        amount as actual_amount,
        cast(null as decimal(18, 2)) as difference_amount,
        {{ caller() }} as detail,
        true as is_issue
    from {{ gl_lines }}
    where {{ condition }}
{%- endmacro %}
