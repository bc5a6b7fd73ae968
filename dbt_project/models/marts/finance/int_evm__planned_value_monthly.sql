-- Planned value per project and month of the baseline in force in the project's latest schedule
-- snapshot (int_evm__planned_value_daily: each leaf task's baseline cost spread evenly over its
-- working days), converted from the project's currency into the reporting currency at that
-- snapshot's status date (or the latest earlier rate). The whole plan, not cut at any date: the
-- remaining-PV profile of a project. mart_project_evm measures PV to each status date instead.

{%- set baseline_number = var('evm_baseline_number', 0) %}

with

planned as (

    select * from {{ ref('int_evm__planned_value_daily') }}

),

currencies as (

    select * from {{ ref('int_evm__project_currencies') }}

),

{{ value_fx_ctes() }},

latest_snapshots as (

    select
        planned.project_id,
        max(planned.status_on) as status_on
    from planned
    group by planned.project_id

),

latest as (

    select
        latest_snapshots.project_id,
        latest_snapshots.status_on,
        currencies.project_currency
    from latest_snapshots
    inner join currencies
        on latest_snapshots.project_id = currencies.project_id

),

rated as (

    select
        latest.*,
        {{ value_rate_to_reporting_columns('latest', 'project_currency', 'status_on', 'status', 'fx_rate') }}
    from latest
    {{ value_rate_to_reporting_join('latest', 'project_currency', 'status_on', 'status') }}

),

final as (

    select
        planned.project_id,
        {{ value_month_of('planned.date_day_on') }} as month_start_on,
        {{ baseline_number }} as baseline_number,
        sum(planned.pv_day_amount * rated.fx_rate) as pv_month_amount
    from planned
    inner join rated
        on planned.project_id = rated.project_id
        and planned.status_on = rated.status_on
    group by planned.project_id, {{ value_month_of('planned.date_day_on') }}

)

select * from final
