-- Per done Jira issue: lead time (created -> done), cycle time (first transition into an
-- indeterminate-category status -> done, from the changelog; null without one) and active time
-- (time in indeterminate-category statuses before done_at, from the changelog). Times in days.

with

issues as (

    select * from {{ ref('fct_jira_issue') }}
    where done_at is not null

),

changes as (

    select * from {{ ref('fct_issue_status_change') }}

),

intervals as (

    select * from {{ ref('int_jira__status_intervals') }}

),

first_in_progress as (

    select
        issue_key,
        min(changed_at) as first_in_progress_at
    from changes
    where to_status_category = 'indeterminate'
    group by issue_key

),

active_time as (

    select
        intervals.issue_key,
        bool_and(intervals.has_changelog) as has_changelog,
        sum(
            case
                when intervals.status_category = 'indeterminate' and intervals.started_at < issues.done_at
                    then {{ days_between_timestamps(
                        'intervals.started_at',
                        'case when intervals.ended_at is null or intervals.ended_at > issues.done_at '
                        ~ 'then issues.done_at else intervals.ended_at end') }}
                else 0
            end
        ) as active_days
    from intervals
    inner join issues
        on intervals.issue_key = issues.issue_key
    group by intervals.issue_key

),

final as (

    select
        issues.issue_key,
        issues.project_id,
        issues.story_points,
        issues.created_at,
        first_in_progress.first_in_progress_at,
        issues.done_at,
        {{ days_between_timestamps('issues.created_at', 'issues.done_at') }} as lead_time_days,
        {{ days_between_timestamps('first_in_progress.first_in_progress_at', 'issues.done_at') }}
            as cycle_time_days,
        case when active_time.has_changelog then active_time.active_days end as active_days,
        coalesce(active_time.has_changelog, false) as has_changelog
    from issues
    left join first_in_progress
        on issues.issue_key = first_in_progress.issue_key
        and first_in_progress.first_in_progress_at <= issues.done_at
    left join active_time
        on issues.issue_key = active_time.issue_key

)

select * from final
