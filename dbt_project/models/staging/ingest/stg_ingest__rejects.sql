with

source as (

    select * from {{ source('ingest', 'rejects') }}

),

renamed as (

    select
        source,
        file_kind,
        column_name,
        value,
        reason,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
