with

source as (

    select * from {{ source('registry', 'portfolio_scenarios') }}

),

renamed as (

    select
        scenario,
        cast(budget_cap_amount as decimal(18, 2)) as budget_cap_amount,
        is_alignment_weighted,
        forced_in_project_ids,
        forced_out_project_ids,
        description,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
