with

source as (

    select * from {{ source('msproject', 'msp_extended_attributes') }}

),

renamed as (

    select
        project_name,
        owner_type,
        owner_uid,
        field_id,
        field_name,
        value,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
