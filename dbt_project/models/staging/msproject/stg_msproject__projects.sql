with

source as (

    select * from {{ source('raw', 'msp_projects') }}

),

renamed as (

    select
        project_name,
        project_title,
        save_version,
        currency_code,
        currency_symbol,
        minutes_per_day,
        minutes_per_week,
        days_per_month,
        start_at,
        finish_at,
        status_on,
        current_on,
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
