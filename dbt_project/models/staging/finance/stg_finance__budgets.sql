with

source as (

    select * from {{ source('finance', 'budgets') }}

),

renamed as (

    select
        project_code,
        budget_month,
        amount,
        currency,
        version,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
