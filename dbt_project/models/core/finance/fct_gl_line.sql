-- GL actual line items (latest-wins per company_code, fiscal_year, document_number, line_item),
-- mapped to VRO projects through the registry's finance codes (project_id null when the code is
-- in no registry row: kept, and reported in mart_reconciliation), converted to the reporting
-- currency at the rate of the posting date or the latest earlier rate. No rate: reporting_amount
-- null and is_fx_missing true, never zero.

with

lines as (

    select * from {{ ref('int_gl__lines_latest') }}

),

-- project_id from the registry's finance codes; fx_rate and fx_rate_on for the posting date
converted as (

    {{ value_finance_lines('lines', 'posting_on') }}

),

final as (

    select
        {{ value_gl_line_key() }} as gl_line_key,
        project_id,
        project_code,
        company_code,
        cast(fiscal_year as integer) as fiscal_year,
        cast(fiscal_period as integer) as fiscal_period,
        posting_on,
        document_number,
        line_item,
        gl_account,
        gl_account_name,
        cost_center,
        expense_type,
        vendor,
        description,
        {{ value_reporting_amount_columns() }},
        source_file,
        source_ref,
        file_sha256,
        ingested_at
    from converted

)

select * from final
