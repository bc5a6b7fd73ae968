with

source as (

    select * from {{ source('jira', 'jira_issues') }}

),

renamed as (

    select
        issue_key,
        issue_id,
        project_key,
        issue_type,
        summary,
        status_id,
        status_name,
        status_category,
        priority,
        assignee,
        reporter,
        parent_key,
        epic_key,
        labels,
        components,
        fix_versions,
        story_points,
        original_estimate_seconds,
        time_spent_seconds,
        created_at,
        updated_at,
        resolved_at,
        due_on,
        export_format,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
