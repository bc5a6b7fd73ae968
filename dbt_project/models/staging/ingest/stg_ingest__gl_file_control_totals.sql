with

source as (

    select * from {{ source('raw', 'gl_file_control_totals') }}

),

renamed as (

    select
        currency,
        line_count,
        amount_total,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
