-- The investment case per project (dbt_project/MEASURES.md; Clarity PPM, Green Book) over its whole-life monthly
-- cash flows, and the same measures over the cash flows to date (the months up to the as-of month).

with

cash_flows as (

    select * from {{ ref('int_benefits__project_cash_flows') }}

),

-- monthly discounting: r = discount_rate_annual / 12, t = period_index (0 in the start month)
discounted as (

    select
        *,
        1 / power(1 + {{ var('discount_rate_annual') }} / 12.0, period_index) as discount_factor,
        sum(net_cash_flow_amount) over (
            partition by project_id order by month_start_on rows between unbounded preceding and current row
        ) as cumulative_net_cash_flow_amount
    from cash_flows

),

sums as (

    select
        project_id,
        min(month_start_on) as first_month_on,
        max(month_start_on) as last_month_on,
        sum(cost_amount) as total_cost,
        sum(benefit_amount) as total_benefit,
        sum(cast(cost_amount as double) * discount_factor) as pv_cost,
        sum(cast(benefit_amount as double) * discount_factor) as pv_benefit,
        sum(cast(net_cash_flow_amount as double) * discount_factor) as npv,
        -- t of the first month whose cumulative undiscounted net (to the cent) is above 0
        min(case when round(cumulative_net_cash_flow_amount, 2) > 0 then period_index end) as payback,
        sum(case when is_to_date then cost_amount else 0 end) as total_cost_to_date,
        sum(case when is_to_date then benefit_amount else 0 end) as total_benefit_to_date,
        sum(case when is_to_date then cast(cost_amount as double) * discount_factor else 0 end) as pv_cost_to_date,
        sum(case when is_to_date then cast(benefit_amount as double) * discount_factor else 0 end)
            as pv_benefit_to_date,
        sum(case when is_to_date then cast(net_cash_flow_amount as double) * discount_factor else 0 end)
            as npv_to_date,
        min(case when is_to_date and round(cumulative_net_cash_flow_amount, 2) > 0 then period_index end)
            as payback_to_date
    from discounted
    group by project_id

),

final as (

    select
        project_id,
        first_month_on,
        last_month_on,
        cast(round(total_cost, 2) as decimal(18, 2)) as total_cost_amount,
        cast(round(total_benefit, 2) as decimal(18, 2)) as total_benefit_amount,
        cast(round(pv_cost, 2) as decimal(18, 2)) as pv_cost_amount,
        cast(round(pv_benefit, 2) as decimal(18, 2)) as pv_benefit_amount,
        cast(round(npv, 2) as decimal(18, 2)) as npv_amount,
        -- ratios from the unrounded present values, kept to 6 decimals
        cast(round(npv / nullif(pv_cost, 0), 6) as decimal(18, 6)) as roi,
        cast(round(pv_benefit / nullif(pv_cost, 0), 6) as decimal(18, 6)) as bcr,
        cast(payback as integer) as payback_months,
        cast(round(total_cost_to_date, 2) as decimal(18, 2)) as total_cost_to_date_amount,
        cast(round(total_benefit_to_date, 2) as decimal(18, 2)) as total_benefit_to_date_amount,
        cast(round(pv_cost_to_date, 2) as decimal(18, 2)) as pv_cost_to_date_amount,
        cast(round(pv_benefit_to_date, 2) as decimal(18, 2)) as pv_benefit_to_date_amount,
        cast(round(npv_to_date, 2) as decimal(18, 2)) as npv_to_date_amount,
        cast(round(npv_to_date / nullif(pv_cost_to_date, 0), 6) as decimal(18, 6)) as roi_to_date,
        cast(round(pv_benefit_to_date / nullif(pv_cost_to_date, 0), 6) as decimal(18, 6)) as bcr_to_date,
        cast(payback_to_date as integer) as payback_to_date_months
    from sums

)

select * from final
