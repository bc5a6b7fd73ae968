-- GL actual line items (latest-wins per company_code, fiscal_year, document_number, line_item),
-- mapped to VRO projects through the registry's finance codes (project_id null when the code is
-- in no registry row: kept, and reported in mart_reconciliation), converted to the reporting
-- currency at the rate of the posting date or the latest earlier rate. No rate: amount_reporting
-- null and is_fx_missing true, never zero.

{%- set reporting = var('reporting_currency', 'EUR') | upper %}

with

lines as (

    select * from {{ ref('int_gl__lines_latest') }}

),

project_keys as (

    select * from {{ ref('int_project_keys') }}
    where key_type = 'finance_code'

),

fx as (

    select * from {{ ref('int_fx__daily_rates') }}

),

mapped as (

    select
        lines.*,
        project_keys.project_id
    from lines
    left join project_keys
        on trim(lines.project_code) = project_keys.key_value

),

converted as (

    select
        mapped.*,
        case when upper(mapped.currency) = '{{ reporting }}' then mapped.posting_on else fx.rate_source_on end
            as fx_rate_on,
        case when upper(mapped.currency) = '{{ reporting }}' then 1.0 else fx.rate_to_reporting end
            as fx_rate
    from mapped
    left join fx
        on upper(mapped.currency) = fx.currency
        and mapped.posting_on = fx.rate_on

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "coalesce(company_code, '')", "'|'",
            "coalesce(cast(fiscal_year as " ~ dbt.type_string() ~ "), '')", "'|'",
            "coalesce(document_number, '')", "'|'", "coalesce(line_item, '')"
        ])) }} as gl_line_key,
        project_id,
        project_code,
        company_code,
        fiscal_year,
        fiscal_period,
        posting_on,
        document_number,
        line_item,
        gl_account,
        gl_account_name,
        cost_center,
        expense_type,
        vendor,
        description,
        cast(amount as decimal(18, 2)) as amount,
        upper(currency) as currency,
        fx_rate_on,
        cast(fx_rate as double) as fx_rate,
        cast(round(amount * fx_rate, 2) as decimal(18, 2)) as amount_reporting,
        '{{ reporting }}' as reporting_currency,
        fx_rate is null as is_fx_missing,
        source_file,
        source_ref,
        file_sha256,
        ingested_at
    from converted

)

select * from final
