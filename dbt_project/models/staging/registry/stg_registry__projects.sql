with

source as (

    select * from {{ source('raw', 'registry_projects') }}

),

renamed as (

    select
        project_id,
        project_name,
        portfolio,
        programme,
        sponsor,
        manager,
        status,
        start_on,
        planned_finish_on,
        closed_on,
        jira_project_keys,
        jira_epic_keys,
        msproject_names,
        finance_codes,
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
