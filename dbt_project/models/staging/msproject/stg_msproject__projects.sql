with

source as (

    select * from {{ source('msproject', 'msp_projects') }}

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
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
