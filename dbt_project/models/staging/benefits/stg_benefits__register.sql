with

source as (

    select * from {{ source('benefits', 'benefits_register') }}

),

renamed as (

    select
        benefit_id,
        kpi_id,
        objective_id,
        benefit_name,
        lower(category) as category,
        unit,
        lower(direction) as direction,
        lower(aggregation) as aggregation,
        owner as benefit_owner,
        upper(currency) as currency,
        lower(status) as benefit_status,
        baseline_value,
        target_value,
        value_per_unit,
        baseline_on,
        target_on,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
