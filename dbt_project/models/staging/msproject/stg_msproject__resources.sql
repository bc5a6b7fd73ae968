with

source as (

    select * from {{ source('msproject', 'msp_resources') }}

),

renamed as (

    select
        project_name,
        resource_uid,
        resource_name,
        resource_type,
        standard_rate,
        cast(cost_amount as decimal(18, 2)) as cost_amount,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
