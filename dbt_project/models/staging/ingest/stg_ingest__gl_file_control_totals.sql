with

source as (

    select * from {{ source('raw', 'gl_file_control_totals') }}

),

renamed as (

    select
        currency,
        line_count,
        amount_total,
        _source_file as source_file,
        _source_ref as source_ref,
        _file_sha256 as file_sha256,
        _file_as_of as file_as_of,
        _ingested_at as ingested_at
    from source

),

final as (

    select * from renamed

)

select * from final
