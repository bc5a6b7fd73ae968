-- Latest-wins budget lines: one row per (project_code, budget_month, version), from the most
-- recently ingested file version (ties: later file_as_of, then sha256).

with

budgets as (

    select * from {{ ref('stg_finance__budgets') }}

),

final as (

    select *
    from budgets
    qualify row_number() over (
        partition by project_code, budget_month, version
        order by ingested_at desc, file_as_of desc nulls last, file_sha256 desc
    ) = 1

)

select * from final
