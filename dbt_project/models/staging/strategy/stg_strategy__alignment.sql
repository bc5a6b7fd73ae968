with

source as (

    select * from {{ source('strategy', 'strategy_alignment') }}

),

renamed as (

    select
        project_id,
        objective_id,
        weight,
        effective_from as effective_from_on,
        effective_to as effective_to_on,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
