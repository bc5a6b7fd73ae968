{#- The key of a GL line: company code, fiscal year, document number and line item (nulls as ''). -#}
{% macro value_gl_line_key() -%}
    {{ dbt.hash(dbt.concat([
        "coalesce(company_code, '')", "'|'",
        "coalesce(cast(fiscal_year as " ~ dbt.type_string() ~ "), '')", "'|'",
        "coalesce(document_number, '')", "'|'", "coalesce(line_item, '')"
    ])) }}
{%- endmacro %}

{#- In an incremental latest-wins model: a where clause keeping only the rows of file versions
    ingested since the newest row already in the table (none on a full build, and every row when
    the table is empty). -#}
{% macro value_ingested_since_last_build() -%}
    {% if is_incremental() -%}
    where ingested_at > (
        select coalesce(max(ingested_at), cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }}))
        from {{ this }}
    )
    {%- endif %}
{%- endmacro %}

{#- In an incremental latest-wins model: the new rows (`new_rows`, a CTE filtered with
    value_ingested_since_last_build) and, on an incremental run, the current winner of each `key`
    they touch. Ranking these gives the same winner as ranking every version: the winner of all
    earlier versions is the current row. -#}
{% macro value_incremental_candidates(new_rows, key) -%}
    select * from {{ new_rows }}
    {% if is_incremental() -%}
    union all
    select * from {{ this }}
    where {{ key }} in (select {{ key }} from {{ new_rows }})
    {%- endif %}
{%- endmacro %}
