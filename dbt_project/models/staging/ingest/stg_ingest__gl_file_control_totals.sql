with

source as (

    select * from {{ source('ingest', 'gl_file_control_totals') }}

),

renamed as (

    select
        currency,
        line_count,
        amount_total,
        file_line_count,
        rejected_line_count,
        file_amount_total,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
