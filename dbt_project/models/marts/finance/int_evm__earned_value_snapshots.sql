-- Every earned value figure at ONE status date: one row per project and schedule status date, in
-- the project's currency, all measured at that date (PMI practice standard; dbt_project/MEASURES.md).
-- BAC and EV from the leaf tasks of that snapshot (its baseline in force, int_evm__snapshot_tasks);
-- PV = that baseline's daily PV (int_evm__planned_value_daily) to the status date; AC = cost
-- posted up to the status date (int_evm__actual_cost_daily: GL, plus labour by work date when var
-- labour_cost_in_ac is true), its GL and labour parts beside it. Several schedules of one project with the same status date add up.
-- Earned schedule on days: ES = the first date on which cumulative PV (to the cent) reaches EV,
-- in days from the baseline start (0 while EV is 0; the baseline finish if PV never reaches EV).
-- AT = status date - baseline start, or actual finish - baseline start once the project has
-- finished (EV = BAC, or an actual finish on every project summary task, UID 0). The actual finish
-- is the summary task's, else the latest actual finish of any task, else the status date.
-- The original baseline is kept beside the one in force: of the earliest snapshot loaded, the
-- numbered baseline var evm_original_baseline_number (default 1) when its leaf tasks carry it
-- (MS Project practice: before re-baselining, the original is copied to Baseline1), else that
-- snapshot's baseline in force.

{%- set baseline_number = var('evm_baseline_number', 0) %}
{%- set original_baseline_number = var('evm_original_baseline_number', 1) %}

with

all_snapshot_tasks as (

    select * from {{ ref('int_evm__snapshot_tasks') }}

),

snapshot_tasks as (

    select * from all_snapshot_tasks
    where baseline_number = {{ baseline_number }}

),

planned as (

    select * from {{ ref('int_evm__planned_value_daily') }}

),

actual as (

    select * from {{ ref('int_evm__actual_cost_daily') }}

),

snapshots as (

    select * from {{ ref('int_msproject__snapshots') }}
    where project_id is not null

),

tasks as (

    select * from {{ ref('stg_msproject__tasks') }}

),

leaf_totals as (

    select
        project_id,
        status_on,
        project_currency,
        baseline_number,
        sum(baseline_cost_amount * percent_complete / 100.0) as ev_amount,
        sum(baseline_cost_amount) as bac_amount,
        min(baseline_start_on) as baseline_start_on,
        max(baseline_finish_on) as baseline_finish_on,
        count(*) as leaf_task_count
    from snapshot_tasks
    group by project_id, status_on, project_currency, baseline_number

),

baseline_totals as (

    select
        project_id,
        status_on,
        baseline_number,
        sum(baseline_cost_amount) as bac_amount,
        max(baseline_finish_on) as baseline_finish_on
    from all_snapshot_tasks
    group by project_id, status_on, baseline_number

),

original_baselines as (

    select
        project_id,
        baseline_number as original_baseline_number,
        bac_amount as original_bac_amount,
        baseline_finish_on as original_baseline_finish_on
    from baseline_totals
    qualify row_number() over (
        partition by project_id
        order by status_on, case when baseline_number = {{ original_baseline_number }} then 0 else 1 end
    ) = 1

),

finish_dates as (

    select
        snapshots.project_id,
        snapshots.status_on,
        count(case when tasks.task_uid = 0 then 1 end) as summary_task_count,
        count(case when tasks.task_uid = 0 then tasks.actual_finish_at end) as finished_summary_task_count,
        max(case when tasks.task_uid = 0 then cast(tasks.actual_finish_at as date) end) as summary_finish_on,
        max(cast(tasks.actual_finish_at as date)) as latest_task_finish_on
    from snapshots
    inner join tasks
        on snapshots.file_sha256 = tasks.file_sha256
        and snapshots.project_name = tasks.project_name
    group by snapshots.project_id, snapshots.status_on

),

pv_to_status as (

    select
        leaf_totals.project_id,
        leaf_totals.status_on,
        coalesce(sum(planned.pv_day_amount), 0) as pv_amount
    from leaf_totals
    left join planned
        on leaf_totals.project_id = planned.project_id
        and leaf_totals.status_on = planned.status_on
        and planned.date_day_on <= leaf_totals.status_on
    group by leaf_totals.project_id, leaf_totals.status_on

),

ac_to_status as (

    select
        leaf_totals.project_id,
        leaf_totals.status_on,
        coalesce(sum(actual.ac_day_amount), 0) as ac_amount,
        coalesce(sum(actual.ac_gl_day_amount), 0) as ac_gl_amount,
        coalesce(sum(actual.ac_labour_day_amount), 0) as ac_labour_amount,
        coalesce(sum(actual.fx_missing_line_count), 0) as fx_missing_line_count
    from leaf_totals
    left join actual
        on leaf_totals.project_id = actual.project_id
        and actual.posting_on <= leaf_totals.status_on
    group by leaf_totals.project_id, leaf_totals.status_on

),

pv_cumulative as (

    select
        project_id,
        status_on,
        date_day_on,
        sum(pv_day_amount) over (
            partition by project_id, status_on order by date_day_on rows between unbounded preceding and current row
        ) as cumulative_pv_amount
    from planned

),

earned_schedule as (

    select
        leaf_totals.project_id,
        leaf_totals.status_on,
        min(pv_cumulative.date_day_on) as es_on
    from leaf_totals
    inner join pv_cumulative
        on leaf_totals.project_id = pv_cumulative.project_id
        and leaf_totals.status_on = pv_cumulative.status_on
        and round(pv_cumulative.cumulative_pv_amount, 2) >= round(leaf_totals.ev_amount, 2)
    group by leaf_totals.project_id, leaf_totals.status_on

),

joined as (

    select
        leaf_totals.*,
        pv_to_status.pv_amount,
        ac_to_status.ac_amount,
        ac_to_status.ac_gl_amount,
        ac_to_status.ac_labour_amount,
        ac_to_status.fx_missing_line_count,
        earned_schedule.es_on,
        (
            (leaf_totals.bac_amount > 0 and round(leaf_totals.ev_amount, 2) >= round(leaf_totals.bac_amount, 2))
            or (finish_dates.summary_task_count > 0
                and finish_dates.finished_summary_task_count = finish_dates.summary_task_count)
        ) as is_finished,
        coalesce(finish_dates.summary_finish_on, finish_dates.latest_task_finish_on) as reported_finish_on,
        original_baselines.original_baseline_number,
        original_baselines.original_bac_amount,
        original_baselines.original_baseline_finish_on
    from leaf_totals
    inner join pv_to_status
        on leaf_totals.project_id = pv_to_status.project_id
        and leaf_totals.status_on = pv_to_status.status_on
    inner join ac_to_status
        on leaf_totals.project_id = ac_to_status.project_id
        and leaf_totals.status_on = ac_to_status.status_on
    left join earned_schedule
        on leaf_totals.project_id = earned_schedule.project_id
        and leaf_totals.status_on = earned_schedule.status_on
    left join finish_dates
        on leaf_totals.project_id = finish_dates.project_id
        and leaf_totals.status_on = finish_dates.status_on
    left join original_baselines
        on leaf_totals.project_id = original_baselines.project_id

),

timed as (

    select
        *,
        case
            when not is_finished then cast(null as date)
            when reported_finish_on is null or reported_finish_on > status_on then status_on
            else reported_finish_on
        end as actual_finish_on
    from joined

),

final as (

    select
        project_id,
        status_on,
        project_currency,
        baseline_number,
        bac_amount,
        pv_amount,
        ev_amount,
        ac_amount,
        ac_gl_amount,
        ac_labour_amount,
        baseline_start_on,
        baseline_finish_on,
        is_finished,
        actual_finish_on,
        case
            when ev_amount <= 0 then 0
            when es_on is null then {{ dbt.datediff('baseline_start_on', 'baseline_finish_on', 'day') }}
            else {{ dbt.datediff('baseline_start_on', 'es_on', 'day') }}
        end as es_days,
        {{ dbt.datediff('baseline_start_on', 'coalesce(actual_finish_on, status_on)', 'day') }} as at_days,
        original_baseline_number,
        original_bac_amount,
        original_baseline_finish_on,
        leaf_task_count,
        fx_missing_line_count
    from timed

)

select * from final
