with

source as (

    select * from {{ source('raw', 'msp_tasks') }}

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
        cost_amount,
        actual_cost_amount,
        remaining_cost_amount,
        bcws_amount,
        bcwp_amount,
        acwp_amount,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
