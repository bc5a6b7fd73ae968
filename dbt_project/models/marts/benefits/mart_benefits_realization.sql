with

benefit_months as (

    select * from {{ ref('int_benefits__benefit_months') }}

),

attribution as (

    select * from {{ ref('bridge_benefit_project') }}

),

projects as (

    select * from {{ ref('dim_project') }}

),

fx_rates as (

    select * from {{ ref('int_fx__daily_rates') }}

),

-- a benefit is past its projects' close when every attributed project closed before the month
attributed_closure as (

    select
        attribution.benefit_id,
        count(*) as attributed_project_count,
        min(case when projects.is_closed and projects.closed_on is not null then 1 else 0 end)
            as all_projects_closed,
        max(projects.closed_on) as last_project_closed_on
    from attribution
    left join projects on attribution.project_id = projects.project_id
    group by attribution.benefit_id

),

latest_rates as (

    select
        currency,
        max(rate_on) as last_rate_on
    from fx_rates
    group by currency

),

-- rate at the month's end (the latest known rate for months beyond the rate history)
with_rates as (

    select
        benefit_months.*,
        case
            when benefit_months.currency = '{{ var("reporting_currency") }}' then 1.0
            else fx_rates.rate_to_reporting
        end as fx_rate_to_reporting
    from benefit_months
    left join latest_rates
        on benefit_months.currency = latest_rates.currency
    left join fx_rates
        on benefit_months.currency = fx_rates.currency
        and fx_rates.rate_on = least(benefit_months.month_end_on, latest_rates.last_rate_on)

),

monetised as (

    select
        with_rates.*,
        cast(round(planned_value * value_per_unit, 2) as decimal(18, 2)) as planned_value_amount,
        cast(round(actual_value * value_per_unit, 2) as decimal(18, 2)) as realized_value_amount,
        cast(round(planned_value * value_per_unit * fx_rate_to_reporting, 2) as decimal(18, 2))
            as planned_value_reporting_amount,
        cast(round(actual_value * value_per_unit * fx_rate_to_reporting, 2) as decimal(18, 2))
            as realized_value_reporting_amount,
        remaining_planned_value * value_per_unit * fx_rate_to_reporting as remaining_planned_reporting_amount
    from with_rates

),

cumulated as (

    select
        monetised.*,
        -- 0, not null, before the plan and before the first realized month (monetised benefits with a rate)
        case when value_per_unit is not null and fx_rate_to_reporting is not null then
            cast(coalesce(sum(planned_value_reporting_amount) over benefit_to_date, 0) as decimal(18, 2))
        end as cumulative_planned_value_reporting_amount,
        case when value_per_unit is not null and fx_rate_to_reporting is not null then
            cast(coalesce(sum(realized_value_reporting_amount) over benefit_to_date, 0) as decimal(18, 2))
        end as cumulative_realized_value_reporting_amount
    from monetised
    window benefit_to_date as (
        partition by benefit_id order by month_start_on rows between unbounded preceding and current row
    )

),

rag_basis as (

    select
        cumulated.*,
        -- a dis-benefit is on track while it is no worse than planned
        case
            when not is_dis_benefit then realization_ratio
            when cumulative_planned_value = 0 then null
            when cumulative_actual_value >= cumulative_planned_value then 1.0
            else cumulative_planned_value / nullif(cumulative_actual_value, 0)
        end as rag_ratio
    from cumulated

),

final as (

    select
        rag_basis.benefit_id,
        rag_basis.month_start_on,
        rag_basis.month_end_on,
        rag_basis.kpi_id,
        rag_basis.objective_id,
        rag_basis.benefit_name,
        rag_basis.benefit_owner,
        rag_basis.category,
        rag_basis.is_dis_benefit,
        rag_basis.unit,
        rag_basis.direction,
        rag_basis.aggregation,
        rag_basis.benefit_version_number,
        rag_basis.baseline_value,
        rag_basis.target_value,
        rag_basis.target_on,
        rag_basis.plan_start_month_on,
        rag_basis.is_baseline_period,
        rag_basis.planned_value,
        cast(rag_basis.reading_count as integer) as reading_count,
        rag_basis.measured_value,
        rag_basis.actual_value,
        rag_basis.cumulative_planned_value,
        rag_basis.cumulative_actual_value,
        rag_basis.realization_ratio,
        {{ value_rag('rag_basis.rag_ratio', 'rag_realization') }} as rag,
        rag_basis.forecast_kpi_value_at_target,
        rag_basis.forecast_value_at_target,
        rag_basis.target_improvement_value,
        rag_basis.forecast_attainment_ratio,
        rag_basis.remaining_planned_value,
        coalesce(
            attributed_closure.all_projects_closed = 1
            and rag_basis.month_start_on > attributed_closure.last_project_closed_on,
            false
        ) as is_after_project_close,
        rag_basis.value_per_unit,
        rag_basis.value_per_unit is not null as is_monetised,
        rag_basis.currency,
        rag_basis.planned_value_amount,
        rag_basis.realized_value_amount,
        rag_basis.fx_rate_to_reporting,
        rag_basis.value_per_unit is not null
            and rag_basis.fx_rate_to_reporting is null as is_fx_missing,
        rag_basis.planned_value_reporting_amount,
        rag_basis.realized_value_reporting_amount,
        rag_basis.cumulative_planned_value_reporting_amount,
        rag_basis.cumulative_realized_value_reporting_amount,
        cast(round(rag_basis.remaining_planned_reporting_amount, 2) as decimal(18, 2))
            as remaining_planned_value_reporting_amount,
        -- realized to date + the plan still to come x the benefit's own forecast attainment; with no plan
        -- left it is the realized value, without a forecast (fewer than three readings) null
        cast(round(case
            when rag_basis.cumulative_realized_value_reporting_amount is null then null
            when rag_basis.remaining_planned_reporting_amount = 0
                then rag_basis.cumulative_realized_value_reporting_amount
            else rag_basis.cumulative_realized_value_reporting_amount
                + rag_basis.remaining_planned_reporting_amount * rag_basis.forecast_attainment_ratio
        end, 2) as decimal(18, 2)) as forecast_value_at_completion_reporting_amount,
        '{{ var("reporting_currency") }}' as reporting_currency,
        rag_basis.is_reading_due,
        rag_basis.is_stale
    from rag_basis
    left join attributed_closure on rag_basis.benefit_id = attributed_closure.benefit_id

)

select * from final
