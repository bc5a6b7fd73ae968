with

source as (

    select * from {{ source('finance', 'gl_line_items') }}

),

renamed as (

    select
        company_code,
        fiscal_year,
        fiscal_period,
        posting_on,
        document_number,
        line_item,
        gl_account,
        gl_account_name,
        cost_center,
        project_code,
        amount,
        currency,
        expense_type,
        vendor,
        description,
        mapping_profile,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
