-- Latest-wins GL lines: one row per (company_code, fiscal_year, document_number, line_item), the
-- row from the most recently ingested file version (ties: the later file_as_of, then sha256).
-- Reversals are separate negative lines with their own keys, so they are kept.

with

lines as (

    select * from {{ ref('stg_finance__gl_line_items') }}

),

final as (

    select *
    from lines
    qualify row_number() over (
        partition by company_code, fiscal_year, document_number, line_item
        order by ingested_at desc, file_as_of desc nulls last, file_sha256 desc
    ) = 1

)

select * from final
