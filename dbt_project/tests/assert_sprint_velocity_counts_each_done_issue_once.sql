-- Every done issue mapped to a project and a member of at least one known sprint counts as
-- completed in exactly one sprint of mart_sprint_velocity: per project, completed items and points
-- equal those issues' count and story points. Fails with the projects that differ.
-- Attached to the mart as a blocking check (dagster meta): it gates publication.
{{ config(meta={'dagster': {'ref': {'name': 'mart_sprint_velocity'}}}) }}

with

velocity as (

    select
        project_id,
        sum(completed_items) as completed_items,
        sum(completed_points) as completed_points
    from {{ ref('mart_sprint_velocity') }}
    group by project_id

),

done_in_sprints as (

    select
        issues.project_id,
        count(*) as completed_items,
        sum(coalesce(issues.story_points, 0)) as completed_points
    from {{ ref('fct_jira_issue') }} as issues
    where issues.project_id is not null
        and issues.done_at is not null
        and issues.issue_key in (
            select memberships.issue_key
            from {{ ref('int_jira__sprint_memberships') }} as memberships
            inner join {{ ref('int_jira__sprints') }} as sprints
                on memberships.sprint_id = sprints.sprint_id
        )
    group by issues.project_id

)

select
    coalesce(velocity.project_id, done_in_sprints.project_id) as project_id,
    velocity.completed_items as velocity_items,
    done_in_sprints.completed_items as done_items,
    velocity.completed_points as velocity_points,
    done_in_sprints.completed_points as done_points
from velocity
full outer join done_in_sprints
    on velocity.project_id = done_in_sprints.project_id
where coalesce(velocity.completed_items, 0) <> coalesce(done_in_sprints.completed_items, 0)
    or abs(coalesce(velocity.completed_points, 0) - coalesce(done_in_sprints.completed_points, 0)) > 0.000001
