-- The EVM base table: one row per project and month from the project's first baseline start or
-- first GL posting (whichever is earlier) through the latest status month of all loaded
-- schedules (the latest GL posting month when no schedule is loaded), or further to the end of
-- the project's planned value (is_reported_month false there: earned schedule needs those
-- months, the mart does not publish them). PV, BAC and plan_month_count are null for a project
-- without a loaded schedule. Cumulative PV and AC to the
-- month end; EV of the latest snapshot with status_on <= month end, carried forward (null before
-- the first snapshot); month_index counts months from 1; at_months is the actual time of that
-- EV's status date on the same timeline (whole months before the status month + the elapsed
-- fraction of the status month); plan_month_count is the last month index with planned value.

with

planned as (

    select * from {{ ref('int_evm__planned_value_monthly') }}

),

earned as (

    select * from {{ ref('int_evm__earned_value_snapshots') }}

),

actual as (

    select * from {{ ref('int_evm__actual_cost_monthly') }}

),

snapshots as (

    select * from {{ ref('int_msproject__snapshots') }}

),

calendar as (

    select * from {{ ref('dim_date') }}

),

months as (

    select distinct
        month_start_on,
        month_end_on
    from calendar

),

project_starts as (

    select project_id, min(month_start_on) as first_month_on
    from (
        select project_id, month_start_on from planned
        union all
        select project_id, month_start_on from actual
    ) as starts
    group by project_id

),

end_month as (

    select
        {{ value_month_of('coalesce(max(snapshots.status_on), max(actual.month_start_on))') }}
            as last_month_on
    from actual
    full outer join snapshots
        on 1 = 0

),

project_ends as (

    select
        project_starts.project_id,
        project_starts.first_month_on,
        end_month.last_month_on as last_reported_month_on,
        case
            when max(planned.month_start_on) > end_month.last_month_on then max(planned.month_start_on)
            else end_month.last_month_on
        end as last_month_on,
        count(planned.month_start_on) > 0 as has_schedule
    from project_starts
    cross join end_month
    left join planned
        on project_starts.project_id = planned.project_id
    group by project_starts.project_id, project_starts.first_month_on, end_month.last_month_on

),

spine as (

    select
        project_ends.project_id,
        project_ends.has_schedule,
        months.month_start_on,
        months.month_end_on,
        {{ dbt.datediff('project_ends.first_month_on', 'months.month_start_on', 'month') }} + 1 as month_index,
        months.month_start_on <= project_ends.last_reported_month_on as is_reported_month
    from project_ends
    inner join months
        on months.month_start_on >= project_ends.first_month_on
        and months.month_start_on <= project_ends.last_month_on

),

monthly as (

    select
        spine.project_id,
        spine.month_start_on,
        spine.month_end_on,
        spine.month_index,
        spine.is_reported_month,
        case when spine.has_schedule then coalesce(planned.pv_month_amount, 0) end as pv_month_amount,
        coalesce(actual.ac_month_amount, 0) as ac_month_amount
    from spine
    left join planned
        on spine.project_id = planned.project_id
        and spine.month_start_on = planned.month_start_on
    left join actual
        on spine.project_id = actual.project_id
        and spine.month_start_on = actual.month_start_on

),

cumulative as (

    select
        *,
        sum(pv_month_amount) over (
            partition by project_id order by month_start_on rows between unbounded preceding and current row
        ) as pv_amount,
        sum(ac_month_amount) over (
            partition by project_id order by month_start_on rows between unbounded preceding and current row
        ) as ac_amount,
        sum(pv_month_amount) over (partition by project_id) as bac_amount,
        max(case when pv_month_amount <> 0 then month_index end) over (partition by project_id)
            as plan_month_count,
        min(month_start_on) over (partition by project_id) as first_month_on
    from monthly

),

with_status as (

    select
        cumulative.*,
        earned.status_on,
        earned.ev_amount
    from cumulative
    left join earned
        on cumulative.project_id = earned.project_id
        and earned.status_on <= cumulative.month_end_on
    qualify row_number() over (
        partition by cumulative.project_id, cumulative.month_start_on
        order by earned.status_on desc nulls last
    ) = 1

),

final as (

    select
        project_id,
        month_start_on,
        month_end_on,
        month_index,
        is_reported_month,
        status_on,
        {{ var('evm_baseline_number', 0) }} as baseline_number,
        bac_amount,
        pv_month_amount,
        pv_amount,
        ev_amount,
        ac_month_amount,
        ac_amount,
        plan_month_count,
        case when status_on is not null then
            {{ dbt.datediff('first_month_on', value_month_of('status_on'), 'month') }}
            + day(status_on) * 1.0 / day({{ value_month_end_of('status_on') }})
        end as at_months
    from with_status

)

select * from final
