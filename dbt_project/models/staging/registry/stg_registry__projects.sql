with

source as (

    select * from {{ source('registry', 'registry_projects') }}

),

renamed as (

    select
        project_id,
        {{ registry_project_columns(mandatory_expr='coalesce(is_mandatory, false)') }},
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
