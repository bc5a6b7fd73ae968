-- Whole-life cash flows per project and month in the reporting currency (dbt_project/MEASURES.md, investment
-- case): from the project's start month to the last month of its benefits plan or its finish,
-- whichever is later. Up to the as-of month: AC by posting month (GL, plus internal labour by work
-- month when var labour_cost_in_ac is true: value_actual_cost_lines) and attributed realized benefit
-- value. After it: the remaining baseline PV by month scaled to sum to ETC, and attributed planned
-- benefit value (and beside it, that value at each benefit's forecast attainment).

with

projects as (

    select * from {{ ref('dim_project') }}

),

as_of as (

    select * from {{ ref('int_portfolio__as_of') }}

),

cost_lines as (

    {{ value_actual_cost_lines() }}

),

evm as (

    select * from {{ ref('mart_project_evm') }}

),

planned_value as (

    select * from {{ ref('int_evm__planned_value_monthly') }}

),

benefit_months as (

    select * from {{ ref('mart_benefits_realization') }}

),

plan as (

    select * from {{ ref('int_benefits__current_plan') }}

),

attribution as (

    select * from {{ ref('bridge_benefit_project') }}

),

-- costs to date: GL postings by posting month, up to the as-of month
project_costs as (

    {{ value_project_month_costs('cost_lines', 'cost_amount') }}

),

actual_costs as (

    select project_costs.*
    from project_costs
    cross join as_of
    where project_costs.month_start_on <= as_of.as_of_month_on

),

ac_to_date as (

    select
        project_id,
        sum(cost_amount) as ac_to_date_amount
    from actual_costs
    group by project_id

),

-- the estimate at completion of the latest EVM month up to the as-of month (its status date):
-- BAC / CPI, else AC + (BAC - EV), else (no status yet) the BAC itself
latest_evm as (

    select
        evm.project_id,
        coalesce(evm.eac_cpi_amount, evm.eac_remaining_amount, evm.bac_amount) as eac_amount
    from evm
    cross join as_of
    where evm.month_start_on <= as_of.as_of_month_on
    qualify row_number() over (partition by evm.project_id order by evm.month_start_on desc) = 1

),

-- ETC measured against the AC posted up to the as-of month end (the costs to date above), so that
-- costs to date + ETC = EAC; a closed project has no cost to come, and none is negative
etc as (

    select
        projects.project_id,
        case
            when projects.is_closed then 0
            when latest_evm.eac_amount > coalesce(ac_to_date.ac_to_date_amount, 0)
                then latest_evm.eac_amount - coalesce(ac_to_date.ac_to_date_amount, 0)
            else 0
        end as etc_amount
    from projects
    inner join latest_evm on projects.project_id = latest_evm.project_id
    left join ac_to_date on projects.project_id = ac_to_date.project_id

),

remaining_pv as (

    select
        planned_value.project_id,
        planned_value.month_start_on,
        planned_value.pv_month_amount
    from planned_value
    cross join as_of
    where planned_value.month_start_on > as_of.as_of_month_on

),

remaining_pv_totals as (

    select
        project_id,
        sum(pv_month_amount) as remaining_pv_amount
    from remaining_pv
    group by project_id

),

-- the remaining baseline PV by month, scaled so it sums to ETC; an ETC with no baseline PV left
-- (a late project) falls in the month after the as-of month
forecast_costs as (

    select
        remaining_pv.project_id,
        remaining_pv.month_start_on,
        remaining_pv.pv_month_amount * etc.etc_amount
            / nullif(remaining_pv_totals.remaining_pv_amount, 0) as cost_amount
    from remaining_pv
    inner join remaining_pv_totals on remaining_pv.project_id = remaining_pv_totals.project_id
    inner join etc on remaining_pv.project_id = etc.project_id
    where remaining_pv_totals.remaining_pv_amount <> 0

    union all

    select
        etc.project_id,
        cast({{ dbt.dateadd('month', 1, 'as_of.as_of_month_on') }} as date) as month_start_on,
        etc.etc_amount as cost_amount
    from etc
    cross join as_of
    left join remaining_pv_totals on etc.project_id = remaining_pv_totals.project_id
    where coalesce(remaining_pv_totals.remaining_pv_amount, 0) = 0
        and etc.etc_amount <> 0

),

-- benefits to date: attributed realized value (monetised; dis-benefits negative), plan months only
realized_benefits as (

    select
        attribution.project_id,
        benefit_months.month_start_on,
        sum(benefit_months.realized_value_reporting_amount * attribution.share) as benefit_amount
    from benefit_months
    inner join attribution on benefit_months.benefit_id = attribution.benefit_id
    cross join as_of
    where benefit_months.is_monetised
        and benefit_months.month_start_on <= as_of.as_of_month_on
    group by attribution.project_id, benefit_months.month_start_on

),

-- the plan still to come is valued as the benefit's as-of row of mart_benefits_realization: the
-- register version in force at the as-of date, at the as-of date's rate
valuation_rates as (

    select
        benefit_months.benefit_id,
        benefit_months.value_per_unit,
        benefit_months.fx_rate_to_reporting,
        -- the benefit's forecast attainment as mart_benefits_realization applies it to the plan still to
        -- come ((forecast at completion - realized) / remaining plan); the plan itself (1) without a
        -- forecast yet (fewer than three readings since the plan started)
        coalesce(
            (benefit_months.forecast_value_at_completion_reporting_amount
                - benefit_months.cumulative_realized_value_reporting_amount)
            / nullif(benefit_months.remaining_planned_value_reporting_amount, 0),
            1.0
        ) as forecast_attainment
    from benefit_months
    inner join as_of on benefit_months.month_start_on = as_of.as_of_month_on
    where benefit_months.is_monetised

),

-- benefits after the as-of month: attributed planned value
planned_benefits as (

    select
        attribution.project_id,
        plan.month_start_on,
        sum(
            plan.planned_value * valuation_rates.value_per_unit * valuation_rates.fx_rate_to_reporting
            * attribution.share
        ) as benefit_amount,
        sum(
            plan.planned_value * valuation_rates.value_per_unit * valuation_rates.fx_rate_to_reporting
            * attribution.share * valuation_rates.forecast_attainment
        ) as forecast_benefit_amount
    from plan
    inner join valuation_rates on plan.benefit_id = valuation_rates.benefit_id
    inner join attribution on plan.benefit_id = attribution.benefit_id
    cross join as_of
    where plan.month_start_on > as_of.as_of_month_on
    group by attribution.project_id, plan.month_start_on

),

-- the last month of the project's attributed monetised benefit plans (the others bring no cash)
plan_ends as (

    select
        attribution.project_id,
        max(plan.month_start_on) as last_plan_month_on
    from plan
    inner join valuation_rates on plan.benefit_id = valuation_rates.benefit_id
    inner join attribution on plan.benefit_id = attribution.benefit_id
    group by attribution.project_id

),

flow_months as (

    select project_id, month_start_on from actual_costs
    union all
    select project_id, month_start_on from forecast_costs
    union all
    select project_id, month_start_on from realized_benefits
    union all
    select project_id, month_start_on from planned_benefits

),

flow_bounds as (

    select
        project_id,
        min(month_start_on) as first_flow_month_on,
        max(month_start_on) as last_flow_month_on
    from flow_months
    group by project_id

),

-- start: the start date's month, or an earlier first cash flow (a posting before the start date);
-- end: the last month of the benefits plan, the finish (closed, else planned) or the last cash
-- flow, whichever is latest, and at least the as-of month (no cost or benefit to date left out)
windows as (

    select
        projects.project_id,
        {{ value_earliest(value_month_of('projects.start_on'), 'flow_bounds.first_flow_month_on') }}
            as first_month_on,
        greatest(
            coalesce(plan_ends.last_plan_month_on, as_of.as_of_month_on),
            coalesce({{ value_month_of('coalesce(projects.closed_on, projects.planned_finish_on)') }},
                as_of.as_of_month_on),
            coalesce(flow_bounds.last_flow_month_on, as_of.as_of_month_on),
            as_of.as_of_month_on
        ) as last_month_on
    from projects
    cross join as_of
    left join flow_bounds on projects.project_id = flow_bounds.project_id
    left join plan_ends on projects.project_id = plan_ends.project_id

),

months as (

    {{ value_month_spine(
        '(select min(first_month_on) from windows)',
        '(select max(last_month_on) from windows)'
    ) }}

),

project_months as (

    select
        windows.project_id,
        windows.first_month_on,
        months.month_start_on
    from windows
    inner join months
        on months.month_start_on >= windows.first_month_on
        and months.month_start_on <= windows.last_month_on

),

final as (

    select
        project_months.project_id,
        project_months.month_start_on,
        cast({{ dbt.datediff('project_months.first_month_on', 'project_months.month_start_on', 'month') }}
            as integer) as period_index,
        project_months.month_start_on <= as_of.as_of_month_on as is_to_date,
        -- to a millionth of the currency unit: sums still tie to the cent
        cast(round(coalesce(realized_benefits.benefit_amount, planned_benefits.benefit_amount, 0), 6)
            as decimal(18, 6)) as benefit_amount,
        -- the same at the forecast attainment after the as-of month (mart_value_optimization)
        cast(round(coalesce(realized_benefits.benefit_amount, planned_benefits.forecast_benefit_amount, 0), 6)
            as decimal(18, 6)) as forecast_benefit_amount,
        cast(round(coalesce(actual_costs.cost_amount, forecast_costs.cost_amount, 0), 6) as decimal(18, 6))
            as cost_amount,
        cast(round(coalesce(realized_benefits.benefit_amount, planned_benefits.benefit_amount, 0), 6)
            as decimal(18, 6))
        - cast(round(coalesce(actual_costs.cost_amount, forecast_costs.cost_amount, 0), 6) as decimal(18, 6))
            as net_cash_flow_amount
    from project_months
    cross join as_of
    left join actual_costs
        on project_months.project_id = actual_costs.project_id
        and project_months.month_start_on = actual_costs.month_start_on
    left join forecast_costs
        on project_months.project_id = forecast_costs.project_id
        and project_months.month_start_on = forecast_costs.month_start_on
    left join realized_benefits
        on project_months.project_id = realized_benefits.project_id
        and project_months.month_start_on = realized_benefits.month_start_on
    left join planned_benefits
        on project_months.project_id = planned_benefits.project_id
        and project_months.month_start_on = planned_benefits.month_start_on

)

select * from final
