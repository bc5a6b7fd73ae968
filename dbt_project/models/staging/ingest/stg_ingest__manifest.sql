with

source as (

    select * from {{ source('ingest', 'ingest_manifest') }}

),

renamed as (

    select
        source,
        file_kind,
        file_size_bytes,
        rows_read,
        rows_loaded,
        rows_rejected,
        status,
        message,
        seconds,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
