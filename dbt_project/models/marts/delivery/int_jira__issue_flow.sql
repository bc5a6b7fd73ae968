-- Per done Jira issue, in days: lead time (created -> done); cycle time (first In Progress -> done:
-- from the start of the first active interval, i.e. an indeterminate-category status that is not a
-- waiting status, to done_at; null without one); active time (time in active statuses up to done_at)
-- and waiting time (time in waiting statuses between the cycle start and done_at), both from the
-- changelog; flow efficiency = active days / cycle time days (null when cycle time is 0 or null).

with

issues as (

    select * from {{ ref('fct_jira_issue') }}
    where done_at is not null

),

intervals as (

    select * from {{ ref('int_jira__status_intervals') }}

),

-- the changelog intervals before done_at, cut at done_at (a done issue reopened later keeps the
-- figures of its last arrival in done)
clipped as (

    select
        intervals.issue_key,
        intervals.has_changelog,
        intervals.is_active,
        intervals.is_waiting,
        intervals.started_at,
        case
            when intervals.ended_at is null or intervals.ended_at > issues.done_at then issues.done_at
            else intervals.ended_at
        end as ended_at
    from intervals
    inner join issues
        on intervals.issue_key = issues.issue_key
    where intervals.started_at < issues.done_at

),

first_in_progress as (

    select
        issue_key,
        min(started_at) as first_in_progress_at
    from clipped
    where is_active and has_changelog
    group by issue_key

),

times as (

    select
        clipped.issue_key,
        sum(
            case when clipped.is_active then {{ seconds_between('clipped.started_at', 'clipped.ended_at') }}
            else 0 end
        ) as active_seconds,
        sum(
            case
                when clipped.is_waiting and clipped.ended_at > first_in_progress.first_in_progress_at
                    then {{ days_between_timestamps(
                        'case when clipped.started_at < first_in_progress.first_in_progress_at '
                        ~ 'then first_in_progress.first_in_progress_at else clipped.started_at end',
                        'clipped.ended_at') }}
                else 0
            end
        ) as waiting_days
    from clipped
    left join first_in_progress
        on clipped.issue_key = first_in_progress.issue_key
    group by clipped.issue_key

),

changelog_issues as (

    select
        issue_key,
        {{ dbt.bool_or('has_changelog') }} as has_changelog
    from intervals
    group by issue_key

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
        case when changelog_issues.has_changelog then coalesce(times.active_seconds, 0) / 86400.0 end
            as active_days,
        case when changelog_issues.has_changelog then coalesce(times.waiting_days, 0) end as waiting_days,
        case when changelog_issues.has_changelog then
            coalesce(times.active_seconds, 0)
            / nullif({{ seconds_between('first_in_progress.first_in_progress_at', 'issues.done_at') }}, 0)
        end as flow_efficiency,
        case when changelog_issues.has_changelog then coalesce(times.active_seconds, 0) end as active_seconds,
        {{ seconds_between('first_in_progress.first_in_progress_at', 'issues.done_at') }} as cycle_time_seconds,
        coalesce(changelog_issues.has_changelog, false) as has_changelog
    from issues
    left join first_in_progress
        on issues.issue_key = first_in_progress.issue_key
    left join times
        on issues.issue_key = times.issue_key
    left join changelog_issues
        on issues.issue_key = changelog_issues.issue_key

)

select * from final
