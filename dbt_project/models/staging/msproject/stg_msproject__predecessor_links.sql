with

source as (

    select * from {{ source('msproject', 'msp_predecessor_links') }}

),

renamed as (

    select
        project_name,
        task_uid,
        predecessor_uid,
        link_type,
        lag_days,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
