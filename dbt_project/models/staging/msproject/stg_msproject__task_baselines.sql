with

source as (

    select * from {{ source('raw', 'msp_task_baselines') }}

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
        baseline_cost_amount,
        _source_file as source_file,
        _source_ref as source_ref,
        _file_sha256 as file_sha256,
        _file_as_of as file_as_of,
        _ingested_at as ingested_at
    from source

),

final as (

    select * from renamed

)

select * from final
