-- Planned value per project and month from the latest schedule snapshot of each MS Project file
-- name: each LEAF task's baseline cost (baseline var evm_baseline_number, default 0), in the
-- reporting currency at that snapshot's status date, spread evenly over the working days
-- (Monday to Friday) from its baseline start date to its baseline finish date, both included.
-- A task without a working day in that range (a weekend milestone) puts its whole cost on its
-- finish date's month. Several schedules of one project add up.

{%- set baseline_number = var('evm_baseline_number', 0) %}

with

task_baselines as (

    select * from {{ ref('fct_task_baseline') }}

),

calendar as (

    select * from {{ ref('dim_date') }}

),

leaf_tasks as (

    select
        project_id,
        project_name,
        status_on,
        task_uid,
        baseline_number,
        cast(baseline_start_at as date) as baseline_start_on,
        cast(baseline_finish_at as date) as baseline_finish_on,
        baseline_cost_amount * fx_rate as baseline_cost_reporting
    from task_baselines
    where is_leaf
        and is_latest_snapshot
        and project_id is not null
        and baseline_number = {{ baseline_number }}
        and baseline_cost_amount is not null
        and baseline_finish_at is not null

),

task_days as (

    select
        leaf_tasks.project_id,
        leaf_tasks.project_name,
        leaf_tasks.task_uid,
        calendar.date_day,
        calendar.month_start_on
    from leaf_tasks
    inner join calendar
        on calendar.date_day >= leaf_tasks.baseline_start_on
        and calendar.date_day <= leaf_tasks.baseline_finish_on
        and calendar.is_weekday

),

working_day_counts as (

    select
        project_name,
        task_uid,
        count(*) as working_days
    from task_days
    group by project_name, task_uid

),

spread as (

    select
        task_days.project_id,
        task_days.month_start_on,
        leaf_tasks.baseline_cost_reporting / working_day_counts.working_days as pv_amount
    from task_days
    inner join working_day_counts
        on task_days.project_name = working_day_counts.project_name
        and task_days.task_uid = working_day_counts.task_uid
    inner join leaf_tasks
        on task_days.project_name = leaf_tasks.project_name
        and task_days.task_uid = leaf_tasks.task_uid

),

no_working_day as (

    select
        leaf_tasks.project_id,
        {{ value_month_of('leaf_tasks.baseline_finish_on') }} as month_start_on,
        leaf_tasks.baseline_cost_reporting as pv_amount
    from leaf_tasks
    left join working_day_counts
        on leaf_tasks.project_name = working_day_counts.project_name
        and leaf_tasks.task_uid = working_day_counts.task_uid
    where working_day_counts.working_days is null

),

final as (

    select
        project_id,
        month_start_on,
        {{ baseline_number }} as baseline_number,
        sum(pv_amount) as pv_month_amount
    from (
        select * from spread
        union all
        select * from no_working_day
    ) as all_spread
    group by project_id, month_start_on

)

select * from final
