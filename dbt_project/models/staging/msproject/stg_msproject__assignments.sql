with

source as (

    select * from {{ source('msproject', 'msp_assignments') }}

),

renamed as (

    select
        project_name,
        assignment_uid,
        task_uid,
        resource_uid,
        work_hours,
        actual_work_hours,
        cast(cost_amount as decimal(18, 2)) as cost_amount,
        cast(actual_cost_amount as decimal(18, 2)) as actual_cost_amount,
        start_at,
        finish_at,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
