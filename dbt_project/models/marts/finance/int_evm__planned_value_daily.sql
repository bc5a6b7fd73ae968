-- Planned value per schedule snapshot and working day, in the project's currency: each leaf
-- task's baseline cost (the baseline in force in that snapshot, int_evm__snapshot_tasks) spread
-- evenly over the working days (Monday to Friday) from its baseline start date to its baseline
-- finish date, both included. A task without a working day in that range (a weekend milestone)
-- puts its whole cost on its finish date. Several schedules of one project add up.

{%- set baseline_number = var('evm_baseline_number', 0) %}

with

snapshot_tasks as (

    select * from {{ ref('int_evm__snapshot_tasks') }}
    where baseline_number = {{ baseline_number }}
        and baseline_cost_amount is not null
        and baseline_finish_on is not null

),

calendar as (

    select * from {{ ref('dim_date') }}

),

task_days as (

    select
        snapshot_tasks.project_id,
        snapshot_tasks.project_name,
        snapshot_tasks.status_on,
        snapshot_tasks.task_uid,
        calendar.date_day_on
    from snapshot_tasks
    inner join calendar
        on calendar.date_day_on >= snapshot_tasks.baseline_start_on
        and calendar.date_day_on <= snapshot_tasks.baseline_finish_on
        and calendar.is_weekday

),

working_day_counts as (

    select
        project_name,
        status_on,
        task_uid,
        count(*) as working_days
    from task_days
    group by project_name, status_on, task_uid

),

spread as (

    select
        task_days.project_id,
        task_days.status_on,
        task_days.date_day_on,
        snapshot_tasks.baseline_cost_amount / working_day_counts.working_days as pv_amount
    from task_days
    inner join working_day_counts
        on task_days.project_name = working_day_counts.project_name
        and task_days.status_on = working_day_counts.status_on
        and task_days.task_uid = working_day_counts.task_uid
    inner join snapshot_tasks
        on task_days.project_name = snapshot_tasks.project_name
        and task_days.status_on = snapshot_tasks.status_on
        and task_days.task_uid = snapshot_tasks.task_uid

),

no_working_day as (

    select
        snapshot_tasks.project_id,
        snapshot_tasks.status_on,
        snapshot_tasks.baseline_finish_on as date_day_on,
        snapshot_tasks.baseline_cost_amount as pv_amount
    from snapshot_tasks
    left join working_day_counts
        on snapshot_tasks.project_name = working_day_counts.project_name
        and snapshot_tasks.status_on = working_day_counts.status_on
        and snapshot_tasks.task_uid = working_day_counts.task_uid
    where working_day_counts.working_days is null

),

final as (

    select
        project_id,
        status_on,
        date_day_on,
        sum(pv_amount) as pv_day_amount
    from (
        select * from spread
        union all
        select * from no_working_day
    ) as all_spread
    group by project_id, status_on, date_day_on

)

select * from final
