with

source as (

    select * from {{ source('raw', 'jira_status_changes') }}

),

renamed as (

    select
        issue_key,
        issue_id,
        history_id,
        changed_at,
        author,
        from_status_id,
        from_status_name,
        from_status_category,
        to_status_id,
        to_status_name,
        to_status_category,
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
