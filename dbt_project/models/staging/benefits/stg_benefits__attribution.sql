with

source as (

    select * from {{ source('benefits', 'benefits_attribution') }}

),

renamed as (

    select
        benefit_id,
        project_id,
        share,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
