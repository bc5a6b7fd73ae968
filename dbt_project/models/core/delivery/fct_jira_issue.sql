-- Jira issues, latest-wins per issue_key (latest updated_at, then latest ingested_at), mapped to
-- VRO projects: first by a registry epic key (the issue itself, its epic link, its parent, or
-- its parent's epic link / parent), else by its Jira project key; project_id null when neither
-- is in the registry (listed in mart_reconciliation). done_at: for an issue now in a done-
-- category status, the last changelog transition into a done status, else resolved_at.

with

issues as (

    select * from {{ ref('int_jira__issues_latest') }}

),

status_changes as (

    select * from {{ ref('fct_issue_status_change') }}

),

project_keys as (

    select * from {{ ref('int_project_keys') }}

),

epic_keys as (

    select key_value, project_id from project_keys where key_type = 'jira_epic'

),

jira_project_keys as (

    select key_value, project_id from project_keys where key_type = 'jira_project'

),

with_parent as (

    select
        issues.*,
        parents.epic_key as parent_epic_key,
        parents.parent_key as parent_parent_key
    from issues
    left join issues as parents
        on issues.parent_key = parents.issue_key

),

last_done as (

    select
        issue_key,
        max(changed_at) as last_done_transition_at
    from status_changes
    where to_status_category = 'done'
    group by issue_key

),

mapped as (

    select
        with_parent.*,
        coalesce(e_self.project_id, e_epic.project_id, e_parent.project_id, e_parent_epic.project_id,
            e_parent_parent.project_id) as epic_project_id,
        jira_project_keys.project_id as key_project_id,
        last_done.last_done_transition_at
    from with_parent
    left join epic_keys as e_self on with_parent.issue_key = e_self.key_value
    left join epic_keys as e_epic on with_parent.epic_key = e_epic.key_value
    left join epic_keys as e_parent on with_parent.parent_key = e_parent.key_value
    left join epic_keys as e_parent_epic on with_parent.parent_epic_key = e_parent_epic.key_value
    left join epic_keys as e_parent_parent on with_parent.parent_parent_key = e_parent_parent.key_value
    left join jira_project_keys on with_parent.project_key = jira_project_keys.key_value
    left join last_done on with_parent.issue_key = last_done.issue_key

),

final as (

    select
        issue_key,
        issue_id,
        coalesce(epic_project_id, key_project_id) as project_id,
        case when epic_project_id is not null then 'jira_epic'
            when key_project_id is not null then 'jira_project' end as project_mapped_by,
        project_key,
        issue_type,
        summary,
        status_id,
        status_name,
        status_category,
        status_category = 'done' as is_done,
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
        due_on,
        created_at,
        updated_at,
        resolved_at,
        case when status_category = 'done' then coalesce(last_done_transition_at, resolved_at) end as done_at,
        export_format,
        source_file,
        ingested_at
    from mapped

)

select * from final
