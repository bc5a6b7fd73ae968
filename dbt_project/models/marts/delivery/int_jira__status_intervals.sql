-- Each Jira issue's time in each status: intervals [started_at, ended_at) from the changelog
-- (ended_at null for the current status). Before the first transition the issue was in that
-- transition's from-status since created_at. An issue without any changelog entry (e.g. known
-- only from a CSV export) gets one interval from created_at in its current status (has_changelog
-- false: flow efficiency is not computed for it). A status is waiting when its name matches var
-- flow_waiting_statuses (value_is_waiting_status); active = indeterminate category and not waiting.

with

issues as (

    select * from {{ ref('fct_jira_issue') }}

),

changes as (

    select * from {{ ref('fct_issue_status_change') }}

),

-- the issues with at least one status change
changed as (

    select distinct issue_key from changes

),

ordered as (

    select
        issue_key,
        changed_at,
        from_status_name,
        from_status_category,
        to_status_name,
        to_status_category,
        row_number() over (partition by issue_key order by changed_at asc, history_id asc) as change_number,
        lead(changed_at) over (partition by issue_key order by changed_at asc, history_id asc) as next_changed_at
    from changes

),

after_changes as (

    select
        issue_key,
        to_status_name as status_name,
        to_status_category as status_category,
        changed_at as started_at,
        next_changed_at as ended_at,
        true as has_changelog
    from ordered

),

before_first_change as (

    select
        ordered.issue_key,
        ordered.from_status_name as status_name,
        ordered.from_status_category as status_category,
        issues.created_at as started_at,
        ordered.changed_at as ended_at,
        true as has_changelog
    from ordered
    inner join issues
        on ordered.issue_key = issues.issue_key
    where ordered.change_number = 1

),

without_changelog as (

    select
        issues.issue_key,
        issues.status_name,
        issues.status_category,
        issues.created_at as started_at,
        cast(null as {{ dbt.type_timestamp() }}) as ended_at,
        false as has_changelog
    from issues
    left join changed
        on issues.issue_key = changed.issue_key
    where changed.issue_key is null

),

all_intervals as (

    select * from after_changes
    union all
    select * from before_first_change
    union all
    select * from without_changelog

),

final as (

    select
        issue_key,
        status_name,
        status_category,
        started_at,
        ended_at,
        has_changelog,
        {{ value_is_waiting_status('status_name') }} as is_waiting,
        coalesce(status_category = 'indeterminate' and not {{ value_is_waiting_status('status_name') }}, false)
            as is_active
    from all_intervals

)

select * from final
