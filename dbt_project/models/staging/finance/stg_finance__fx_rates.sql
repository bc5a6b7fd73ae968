with

source as (

    select * from {{ source('finance', 'fx_rates') }}

),

renamed as (

    select
        rate_on,
        from_currency,
        to_currency,
        rate,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
