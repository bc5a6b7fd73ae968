-- Delivery flow per project and week (weeks start on Monday), from the project's first created
-- issue through the week of the latest issue update. Throughput: issues whose done_at falls in
-- the week (status category done); WIP: issues in an indeterminate-category status at the end
-- of the week; lead / cycle time percentiles (continuous, interpolated) over the issues done
-- that week; flow efficiency = active days / cycle time days summed over the week's done issues
-- that have a changelog and a cycle time (null when none has): active excludes the waiting statuses
-- of var flow_waiting_statuses (int_jira__issue_flow).

with

all_issues as (

    select * from {{ ref('fct_jira_issue') }}

),

flow as (

    select * from {{ ref('int_jira__issue_flow') }}
    where project_id is not null

),

intervals as (

    select * from {{ ref('int_jira__status_intervals') }}

),

calendar as (

    select * from {{ ref('dim_date') }}

),

issues as (

    select * from all_issues
    where project_id is not null

),

weeks as (

    select distinct week_start_on from calendar

),

project_range as (

    select
        project_id,
        cast(min(created_at) as date) as first_on,
        (select cast(max(updated_at) as date) from all_issues) as last_on
    from issues
    group by project_id

),

spine as (

    select
        project_range.project_id,
        weeks.week_start_on,
        {{ add_days('weeks.week_start_on', '6') }} as week_end_on,
        cast({{ add_days('weeks.week_start_on', '7') }} as {{ dbt.type_timestamp() }}) as week_end_at
    from project_range
    inner join weeks
        on weeks.week_start_on > {{ add_days('project_range.first_on', '-7') }}
        and weeks.week_start_on <= project_range.last_on

),

done_weekly as (

    select
        spine.project_id,
        spine.week_start_on,
        count(*) as throughput_items,
        sum(coalesce(flow.story_points, 0)) as throughput_points,
        {{ percentile_cont('flow.lead_time_days', 0.5) }} as lead_time_days_p50,
        {{ percentile_cont('flow.lead_time_days', 0.85) }} as lead_time_days_p85,
        {{ percentile_cont('flow.cycle_time_days', 0.5) }} as cycle_time_days_p50,
        {{ percentile_cont('flow.cycle_time_days', 0.85) }} as cycle_time_days_p85,
        sum(case when flow.has_changelog and flow.cycle_time_seconds is not null then flow.active_seconds end)
            / nullif(sum(case when flow.has_changelog then flow.cycle_time_seconds end), 0) as flow_efficiency
    from spine
    inner join flow
        on spine.project_id = flow.project_id
        and flow.done_at >= cast(spine.week_start_on as {{ dbt.type_timestamp() }})
        and flow.done_at < spine.week_end_at
    group by spine.project_id, spine.week_start_on

),

wip_weekly as (

    select
        spine.project_id,
        spine.week_start_on,
        count(distinct intervals.issue_key) as wip_items
    from spine
    inner join issues
        on spine.project_id = issues.project_id
    inner join intervals
        on issues.issue_key = intervals.issue_key
        and intervals.status_category = 'indeterminate'
        and intervals.started_at < spine.week_end_at
        and (intervals.ended_at is null or intervals.ended_at >= spine.week_end_at)
    group by spine.project_id, spine.week_start_on

),

final as (

    select
        spine.project_id,
        spine.week_start_on,
        spine.week_end_on,
        cast(coalesce(done_weekly.throughput_items, 0) as integer) as throughput_items,
        cast(coalesce(done_weekly.throughput_points, 0) as double) as throughput_points,
        cast(coalesce(wip_weekly.wip_items, 0) as integer) as wip_items,
        cast(done_weekly.lead_time_days_p50 as double) as lead_time_days_p50,
        cast(done_weekly.lead_time_days_p85 as double) as lead_time_days_p85,
        cast(done_weekly.cycle_time_days_p50 as double) as cycle_time_days_p50,
        cast(done_weekly.cycle_time_days_p85 as double) as cycle_time_days_p85,
        cast(done_weekly.flow_efficiency as double) as flow_efficiency
    from spine
    left join done_weekly
        on spine.project_id = done_weekly.project_id
        and spine.week_start_on = done_weekly.week_start_on
    left join wip_weekly
        on spine.project_id = wip_weekly.project_id
        and spine.week_start_on = wip_weekly.week_start_on

)

select * from final
