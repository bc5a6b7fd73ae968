with

source as (

    select * from {{ source('benefits', 'benefits_measurements') }}

),

renamed as (

    select
        kpi_id,
        source as measurement_source,
        note as measurement_note,
        value as measured_value,
        measured_on,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
