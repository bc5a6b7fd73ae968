-- Sprint velocity per project and sprint, from sprint memberships and the issues' current story
-- points. Committed: every issue that was a member of the sprint (an issue carried over counts in
-- every sprint it was in). Completed: each done issue counts once, in the sprint in which it reached
-- done: the member sprint that started latest on or before done_at (the sprint it was in when done;
-- done after that sprint ended, it still counts there); done before any of its sprints started,
-- its first sprint. Carried over: a member not completed in the sprint that is also a member of a
-- later-starting sprint.

with

memberships as (

    select * from {{ ref('int_jira__sprint_memberships') }}
    where sprint_id is not null

),

sprints as (

    select * from {{ ref('int_jira__sprints') }}

),

issues as (

    select * from {{ ref('fct_jira_issue') }}
    where project_id is not null

),

member_sprints as (

    select
        issues.project_id,
        issues.issue_key,
        issues.story_points,
        issues.done_at,
        sprints.sprint_id,
        sprints.sprint_start_at,
        row_number() over (
            partition by issues.issue_key
            order by sprints.sprint_start_at asc nulls last, sprints.sprint_id asc
        ) as sprint_order,
        count(*) over (partition by issues.issue_key) as sprint_count
    from memberships
    inner join issues
        on memberships.issue_key = issues.issue_key
    inner join sprints
        on memberships.sprint_id = sprints.sprint_id

),

-- the sprint each done issue counts as completed in
completion as (

    select
        issue_key,
        coalesce(
            max(case when sprint_start_at <= done_at then sprint_order end),
            min(sprint_order)
        ) as completed_sprint_order
    from member_sprints
    where done_at is not null
    group by issue_key

),

flagged as (

    select
        member_sprints.*,
        coalesce(member_sprints.sprint_order = completion.completed_sprint_order, false) as is_completed,
        not coalesce(member_sprints.sprint_order = completion.completed_sprint_order, false)
            and member_sprints.sprint_order < member_sprints.sprint_count as is_carried_over
    from member_sprints
    left join completion
        on member_sprints.issue_key = completion.issue_key

),

per_sprint as (

    select
        project_id,
        sprint_id,
        count(*) as committed_items,
        sum(coalesce(story_points, 0)) as committed_points,
        sum(case when is_completed then 1 else 0 end) as completed_items,
        sum(case when is_completed then coalesce(story_points, 0) else 0 end) as completed_points,
        sum(case when is_carried_over then 1 else 0 end) as carried_over_items,
        sum(case when is_carried_over then coalesce(story_points, 0) else 0 end) as carried_over_points,
        sum(case when story_points is null then 1 else 0 end) as unestimated_items
    from flagged
    group by project_id, sprint_id

),

final as (

    select
        per_sprint.project_id,
        per_sprint.sprint_id,
        sprints.sprint_name,
        sprints.board_id,
        sprints.sprint_state,
        sprints.sprint_start_at,
        sprints.sprint_end_at,
        sprints.sprint_complete_at,
        cast(per_sprint.committed_items as integer) as committed_items,
        cast(per_sprint.committed_points as double) as committed_points,
        cast(per_sprint.completed_items as integer) as completed_items,
        cast(per_sprint.completed_points as double) as completed_points,
        cast(per_sprint.carried_over_items as integer) as carried_over_items,
        cast(per_sprint.carried_over_points as double) as carried_over_points,
        cast(per_sprint.unestimated_items as integer) as unestimated_items,
        cast(per_sprint.completed_points / nullif(per_sprint.committed_points, 0) as double)
            as completion_ratio
    from per_sprint
    inner join sprints
        on per_sprint.sprint_id = sprints.sprint_id

)

select * from final
