with

source as (

    select * from {{ source('raw', 'jira_sprint_membership') }}

),

renamed as (

    select
        issue_key,
        sprint_id,
        sprint_name,
        sprint_state,
        board_id,
        sprint_start_at,
        sprint_end_at,
        sprint_complete_at,
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
