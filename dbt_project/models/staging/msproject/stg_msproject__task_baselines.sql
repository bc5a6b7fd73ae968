with

source as (

    select * from {{ source('msproject', 'msp_task_baselines') }}

),

renamed as (

    select
        project_name,
        task_uid,
        baseline_number,
        baseline_start_at,
        baseline_finish_at,
        baseline_duration_days,
        baseline_work_hours,
        cast(baseline_cost_amount as decimal(18, 2)) as baseline_cost_amount,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
