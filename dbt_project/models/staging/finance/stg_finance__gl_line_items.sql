with

source as (

    select * from {{ source('raw', 'gl_line_items') }}

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
        _source_file as source_file,
        _source_ref as source_ref,
        _file_sha256 as file_sha256,
        _file_as_of as file_as_of,
        _ingested_at as ingested_at
    from source

),

final as (

    select * from renamed

)

select * from final
