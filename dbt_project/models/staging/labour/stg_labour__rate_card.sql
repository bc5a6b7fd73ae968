with

source as (

    select * from {{ source('labour', 'rate_card') }}

),

renamed as (

    select
        nullif(trim(person), '') as person,
        nullif(trim(role), '') as role,
        nullif(trim(resource_group), '') as resource_group,
        nullif(trim(project_id), '') as project_id,
        cast(hourly_rate as decimal(18, 4)) as hourly_rate,
        upper(trim(currency)) as currency,
        valid_from,
        valid_to,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
