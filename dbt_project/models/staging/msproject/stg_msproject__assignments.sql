with

source as (

    select * from {{ source('raw', 'msp_assignments') }}

),

renamed as (

    select
        project_name,
        assignment_uid,
        task_uid,
        resource_uid,
        work_hours,
        cost_amount,
        actual_cost_amount,
        start_at,
        finish_at,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
