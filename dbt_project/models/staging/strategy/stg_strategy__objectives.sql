with

source as (

    select * from {{ source('strategy', 'strategy_objectives') }}

),

renamed as (

    select
        objective_id,
        parent_objective_id,
        kpi_id,
        objective_name,
        lower(level) as objective_level,
        owner as objective_owner,
        target_value,
        target_on,
        valid_from as active_from_on,
        valid_to as active_to_on,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
