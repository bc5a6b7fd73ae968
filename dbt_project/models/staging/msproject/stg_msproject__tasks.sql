with

source as (

    select * from {{ source('msproject', 'msp_tasks') }}

),

renamed as (

    select
        project_name,
        task_uid,
        task_id,
        task_name,
        wbs,
        outline_number,
        outline_level,
        is_summary,
        is_milestone,
        start_at,
        finish_at,
        actual_start_at,
        actual_finish_at,
        duration_days,
        work_hours,
        percent_complete,
        percent_work_complete,
        cast(cost_amount as decimal(18, 2)) as cost_amount,
        cast(actual_cost_amount as decimal(18, 2)) as actual_cost_amount,
        cast(remaining_cost_amount as decimal(18, 2)) as remaining_cost_amount,
        cast(bcws_amount as decimal(18, 2)) as bcws_amount,
        cast(bcwp_amount as decimal(18, 2)) as bcwp_amount,
        cast(acwp_amount as decimal(18, 2)) as acwp_amount,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
