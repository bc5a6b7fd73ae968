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
