with

cash_flows as (

    select * from {{ ref('int_benefits__project_cash_flows') }}

),

-- monthly discounting: r = discount_rate_annual / 12, period 0 is the project's first month
discounted as (

    select
        *,
        1 / power(1 + {{ var('discount_rate_annual') }} / 12.0, period_index) as discount_factor,
        sum(net_cash_flow_amount) over (
            partition by project_id order by month_start_on rows between unbounded preceding and current row
        ) as cumulative_net_cash_flow_amount
    from cash_flows

),

final as (

    select
        project_id,
        min(month_start_on) as first_month_on,
        max(month_start_on) as last_month_on,
        cast(sum(cost_amount) as decimal(18, 2)) as total_cost_amount,
        cast(sum(benefit_amount) as decimal(18, 2)) as total_benefit_amount,
        cast(round(sum(cast(cost_amount as double) * discount_factor), 2) as decimal(18, 2)) as pv_cost_amount,
        cast(round(sum(cast(benefit_amount as double) * discount_factor), 2) as decimal(18, 2))
            as pv_benefit_amount,
        cast(round(sum(cast(net_cash_flow_amount as double) * discount_factor), 2) as decimal(18, 2))
            as npv_amount,
        -- ratios from the unrounded present values, kept to 6 decimals
        cast(round(
            sum(cast(net_cash_flow_amount as double) * discount_factor)
            / nullif(sum(cast(cost_amount as double) * discount_factor), 0), 6
        ) as decimal(18, 6)) as roi,
        cast(round(
            cast(sum(benefit_amount) as double) / nullif(cast(sum(cost_amount) as double), 0), 6
        ) as decimal(18, 6)) as bcr,
        -- months counted from the first month through the month the cumulative net first turns positive
        cast(min(case when cumulative_net_cash_flow_amount > 0 then period_index + 1 end) as integer) as payback_months
    from discounted
    group by project_id

)

select * from final
