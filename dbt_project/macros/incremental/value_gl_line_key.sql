{#- The key of a GL line: company code, fiscal year, document number and line item (nulls as ''). -#}
{% macro value_gl_line_key() -%}
    {{ dbt.hash(dbt.concat([
        "coalesce(company_code, '')", "'|'",
        "coalesce(cast(fiscal_year as " ~ dbt.type_string() ~ "), '')", "'|'",
        "coalesce(document_number, '')", "'|'", "coalesce(line_item, '')"
    ])) }}
{%- endmacro %}
