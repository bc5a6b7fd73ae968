with

source as (

    select * from {{ source('labour', 'people') }}

),

renamed as (

    select
        nullif(trim(person), '') as person,
        full_name,
        nullif(trim(role), '') as role,
        nullif(trim(resource_group), '') as resource_group,
        valid_from,
        valid_to,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
