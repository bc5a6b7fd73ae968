{#- The key of a GL line: company code, fiscal year, document number and line item (nulls as ''). -#}
{% macro value_gl_line_key() -%}
    {{ dbt.hash(dbt.concat([
        "coalesce(company_code, '')", "'|'",
        "coalesce(cast(fiscal_year as " ~ dbt.type_string() ~ "), '')", "'|'",
        "coalesce(document_number, '')", "'|'", "coalesce(line_item, '')"
    ])) }}
{%- endmacro %}

{#- In an incremental model: when the newest row already in the table was ingested (rows ingested
    after it are new). An empty table gives a time before any ingest, so every row is new. -#}
{% macro value_last_ingested_at(relation) -%}
    (select coalesce(max(ingested_at), cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }})) from {{ relation }})
{%- endmacro %}
