-- The EVM base table, in the project's currency: one row per project and month from the project's
-- first month (its earliest baseline start in any loaded snapshot, or first GL posting, whichever
-- is earlier) through the portfolio's as-of month (int_portfolio__as_of). Each month names the
-- latest status date on or before its month end (status_on; null before the first snapshot) and
-- repeats every figure measured at that status date (int_evm__earned_value_snapshots): a month
-- without a newer status never mixes an old EV with this month's PV or AC. Beside them the S-curve
-- figures to the month end: PV of the baseline in force (that of status_on; before the first
-- snapshot the earliest one), and AC posted to the month end (with its GL and labour parts). fx_rate converts the project's
-- currency into the reporting currency at the status date (before the first snapshot, the month
-- end), or the latest earlier rate: one rate for every amount of the row.

with

as_of as (

    select * from {{ ref('int_portfolio__as_of') }}

),

status_dates as (

    select * from {{ ref('int_evm__earned_value_snapshots') }}

),

planned as (

    select * from {{ ref('int_evm__planned_value_daily') }}

),

actual as (

    select * from {{ ref('int_evm__actual_cost_daily') }}

),

currencies as (

    select * from {{ ref('int_evm__project_currencies') }}

),

calendar as (

    select * from {{ ref('dim_date') }}

),

{{ value_fx_ctes() }},

months as (

    select distinct
        month_start_on,
        month_end_on
    from calendar

),

project_starts as (

    select
        project_id,
        {{ value_month_of('min(start_on)') }} as first_month_on
    from (
        select project_id, baseline_start_on as start_on from status_dates
        union all
        select project_id, posting_on from actual
    ) as starts
    group by project_id

),

spine as (

    select
        project_starts.project_id,
        coalesce(currencies.project_currency, '{{ value_reporting_currency() }}') as project_currency,
        months.month_start_on,
        months.month_end_on,
        {{ dbt.datediff('project_starts.first_month_on', 'months.month_start_on', 'month') }} + 1 as month_index
    from project_starts
    cross join as_of
    inner join months
        on months.month_start_on >= project_starts.first_month_on
        and months.month_start_on <= as_of.as_of_month_on
    left join currencies
        on project_starts.project_id = currencies.project_id

),

with_status as (

    select
        spine.*,
        status_dates.status_on
    from spine
    left join status_dates
        on spine.project_id = status_dates.project_id
        and status_dates.status_on <= spine.month_end_on
    qualify row_number() over (
        partition by spine.project_id, spine.month_start_on
        order by status_dates.status_on desc nulls last
    ) = 1

),

first_snapshots as (

    select project_id, min(status_on) as first_status_on
    from status_dates
    group by project_id

),

-- the snapshot whose baseline draws the month-end S-curve
curve_snapshots as (

    select
        with_status.project_id,
        with_status.month_start_on,
        coalesce(with_status.status_on, first_snapshots.first_status_on) as curve_status_on
    from with_status
    left join first_snapshots
        on with_status.project_id = first_snapshots.project_id

),

pv_snapshot_months as (

    select
        project_id,
        status_on,
        {{ value_month_of('date_day_on') }} as month_start_on,
        sum(pv_day_amount) as pv_month_amount
    from planned
    group by project_id, status_on, {{ value_month_of('date_day_on') }}

),

pv_month_ends as (

    select
        curve_snapshots.project_id,
        curve_snapshots.month_start_on,
        curve_snapshots.curve_status_on,
        coalesce(sum(pv_snapshot_months.pv_month_amount), 0) as pv_month_end_amount
    from curve_snapshots
    left join pv_snapshot_months
        on curve_snapshots.project_id = pv_snapshot_months.project_id
        and curve_snapshots.curve_status_on = pv_snapshot_months.status_on
        and pv_snapshot_months.month_start_on <= curve_snapshots.month_start_on
    group by curve_snapshots.project_id, curve_snapshots.month_start_on, curve_snapshots.curve_status_on

),

ac_months as (

    select
        project_id,
        {{ value_month_of('posting_on') }} as month_start_on,
        sum(ac_day_amount) as ac_month_amount,
        sum(ac_gl_day_amount) as ac_gl_month_amount,
        sum(ac_labour_day_amount) as ac_labour_month_amount
    from actual
    group by project_id, {{ value_month_of('posting_on') }}

),

ac_month_ends as (

    select
        with_status.project_id,
        with_status.month_start_on,
        sum(coalesce(ac_months.ac_month_amount, 0)) over (
            partition by with_status.project_id order by with_status.month_start_on
            rows between unbounded preceding and current row
        ) as ac_month_end_amount,
        sum(coalesce(ac_months.ac_gl_month_amount, 0)) over (
            partition by with_status.project_id order by with_status.month_start_on
            rows between unbounded preceding and current row
        ) as ac_gl_month_end_amount,
        sum(coalesce(ac_months.ac_labour_month_amount, 0)) over (
            partition by with_status.project_id order by with_status.month_start_on
            rows between unbounded preceding and current row
        ) as ac_labour_month_end_amount
    from with_status
    left join ac_months
        on with_status.project_id = ac_months.project_id
        and with_status.month_start_on = ac_months.month_start_on

),

joined as (

    select
        with_status.project_id,
        with_status.project_currency,
        with_status.month_start_on,
        with_status.month_end_on,
        with_status.month_index,
        with_status.status_on,
        coalesce(with_status.status_on, with_status.month_end_on) as fx_date_on,
        status_dates.baseline_number,
        status_dates.bac_amount,
        status_dates.pv_amount,
        status_dates.ev_amount,
        status_dates.ac_amount,
        status_dates.ac_gl_amount,
        status_dates.ac_labour_amount,
        status_dates.baseline_start_on,
        status_dates.baseline_finish_on,
        status_dates.original_bac_amount,
        status_dates.original_baseline_finish_on,
        status_dates.is_finished,
        status_dates.actual_finish_on,
        status_dates.es_days,
        status_dates.at_days,
        case when pv_month_ends.curve_status_on is not null then pv_month_ends.pv_month_end_amount end
            as pv_month_end_amount,
        ac_month_ends.ac_month_end_amount,
        ac_month_ends.ac_gl_month_end_amount,
        ac_month_ends.ac_labour_month_end_amount
    from with_status
    left join status_dates
        on with_status.project_id = status_dates.project_id
        and with_status.status_on = status_dates.status_on
    inner join pv_month_ends
        on with_status.project_id = pv_month_ends.project_id
        and with_status.month_start_on = pv_month_ends.month_start_on
    inner join ac_month_ends
        on with_status.project_id = ac_month_ends.project_id
        and with_status.month_start_on = ac_month_ends.month_start_on

),

final as (

    select
        joined.project_id,
        joined.project_currency,
        joined.month_start_on,
        joined.month_end_on,
        joined.month_index,
        joined.status_on,
        joined.baseline_number,
        joined.bac_amount,
        joined.pv_amount,
        joined.ev_amount,
        joined.ac_amount,
        joined.ac_gl_amount,
        joined.ac_labour_amount,
        joined.baseline_start_on,
        joined.baseline_finish_on,
        joined.original_bac_amount,
        joined.original_baseline_finish_on,
        joined.is_finished,
        joined.actual_finish_on,
        joined.es_days,
        joined.at_days,
        joined.pv_month_end_amount,
        joined.ac_month_end_amount,
        joined.ac_gl_month_end_amount,
        joined.ac_labour_month_end_amount,
        {{ value_rate_to_reporting_columns('joined', 'project_currency', 'fx_date_on', 'project', 'fx_rate') }}
    from joined
    {{ value_rate_to_reporting_join('joined', 'project_currency', 'fx_date_on', 'project') }}

)

select * from final
