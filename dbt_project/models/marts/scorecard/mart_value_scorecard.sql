with

projects as (

    select * from {{ ref('dim_project') }}

),

months as (

    select * from {{ ref('int_strategy__portfolio_months') }}

),

investment_case as (

    select * from {{ ref('int_benefits__project_investment_case') }}

),

evm as (

    select * from {{ ref('mart_project_evm') }}

),

benefit_months as (

    select * from {{ ref('mart_benefits_realization') }}

),

attribution as (

    select * from {{ ref('bridge_benefit_project') }}

),

plan as (

    select * from {{ ref('int_benefits__current_plan') }}

),

project_weights as (

    select * from {{ ref('int_strategy__project_objective_months') }}

),

as_of as (

    select month_start_on as as_of_month, month_end_on as as_of_month_end_on
    from months
    where is_as_of_month

),

latest_evm as (

    select evm.*
    from evm
    cross join as_of
    where evm.month_start_on <= as_of.as_of_month
    qualify row_number() over (partition by evm.project_id order by evm.month_start_on desc) = 1

),

benefits_as_of as (

    select benefit_months.*
    from benefit_months
    inner join as_of on benefit_months.month_start_on = as_of.as_of_month

),

-- planned improvement still to come after the as-of month, valued at the as-of month's rate
remaining_plan as (

    select
        plan.benefit_id,
        sum(plan.planned_value) as remaining_planned_value
    from plan
    cross join as_of
    where plan.month_start_on > as_of.as_of_month
    group by plan.benefit_id

),

project_benefits as (

    select
        attribution.project_id,
        sum(benefits_as_of.cumulative_planned_value_reporting_amount * attribution.share)
            as planned_to_date_amount,
        sum(benefits_as_of.cumulative_realized_value_reporting_amount * attribution.share)
            as realized_to_date_amount,
        sum(
            coalesce(remaining_plan.remaining_planned_value, 0) * benefits_as_of.value_per_unit
            * benefits_as_of.fx_rate_to_reporting * attribution.share
        ) as remaining_planned_amount,
        sum(case when not benefits_as_of.is_dis_benefit and benefits_as_of.realization_pct is not null
            then benefits_as_of.realization_pct * attribution.share end)
            / nullif(sum(case when not benefits_as_of.is_dis_benefit and benefits_as_of.realization_pct is not null
                then attribution.share end), 0) as benefit_realization_pct
    from attribution
    inner join benefits_as_of on attribution.benefit_id = benefits_as_of.benefit_id
    left join remaining_plan on attribution.benefit_id = remaining_plan.benefit_id
    group by attribution.project_id

),

-- weights in force at the as-of month, or at the last month the project was aligned (a closed project)
last_aligned_months as (

    select
        project_weights.project_id,
        max(project_weights.month_start_on) as last_aligned_month_on
    from project_weights
    cross join as_of
    where project_weights.month_start_on <= as_of.as_of_month
    group by project_weights.project_id

),

alignment as (

    select
        project_weights.project_id,
        sum(project_weights.weight) as alignment_score
    from project_weights
    inner join last_aligned_months
        on project_weights.project_id = last_aligned_months.project_id
        and project_weights.month_start_on = last_aligned_months.last_aligned_month_on
    group by project_weights.project_id

),

combined as (

    select
        projects.project_id,
        projects.project_name,
        projects.portfolio,
        projects.programme,
        projects.status,
        projects.is_closed,
        as_of.as_of_month,
        latest_evm.month_start_on as evm_month_on,
        investment_case.total_cost_amount as cost_to_date_amount,
        latest_evm.bac_amount,
        coalesce(latest_evm.eac_cpi_amount, latest_evm.eac_remaining_amount) as eac_amount,
        latest_evm.cpi,
        latest_evm.spi,
        project_benefits.planned_to_date_amount,
        project_benefits.realized_to_date_amount,
        coalesce(project_benefits.planned_to_date_amount, 0)
            + coalesce(project_benefits.remaining_planned_amount, 0) as planned_total_amount,
        coalesce(project_benefits.realized_to_date_amount, 0)
            + coalesce(project_benefits.remaining_planned_amount, 0)
            * coalesce(project_benefits.benefit_realization_pct, 1) as forecast_amount,
        project_benefits.benefit_realization_pct,
        investment_case.pv_cost_amount,
        investment_case.pv_benefit_amount,
        investment_case.npv_amount,
        investment_case.roi,
        investment_case.bcr,
        investment_case.payback_months,
        coalesce(alignment.alignment_score, 0) as alignment_score
    from projects
    cross join as_of
    left join latest_evm on projects.project_id = latest_evm.project_id
    left join investment_case on projects.project_id = investment_case.project_id
    left join project_benefits on projects.project_id = project_benefits.project_id
    left join alignment on projects.project_id = alignment.project_id

),

ranked as (

    select
        *,
        forecast_amount / nullif(eac_amount, 0) as value_per_cost_ratio,
        row_number() over (
            order by forecast_amount / nullif(eac_amount, 0) desc nulls last, npv_amount desc nulls last, project_id
        ) as value_rank
    from combined

),

final as (

    select
        project_id,
        project_name,
        portfolio,
        programme,
        status,
        is_closed,
        as_of_month,
        evm_month_on,
        cast(coalesce(cost_to_date_amount, 0) as decimal(18, 2)) as cost_to_date_amount,
        cast(bac_amount as decimal(18, 2)) as bac_amount,
        cast(eac_amount as decimal(18, 2)) as eac_amount,
        cast(round(coalesce(planned_to_date_amount, 0), 2) as decimal(18, 2)) as benefits_planned_to_date_amount,
        cast(round(coalesce(realized_to_date_amount, 0), 2) as decimal(18, 2)) as benefits_realized_to_date_amount,
        cast(round(planned_total_amount, 2) as decimal(18, 2)) as benefits_planned_total_amount,
        cast(round(forecast_amount, 2) as decimal(18, 2)) as benefits_forecast_amount,
        cast(benefit_realization_pct as double) as benefit_realization_pct,
        cast(round(pv_cost_amount, 2) as decimal(18, 2)) as pv_cost_amount,
        cast(round(pv_benefit_amount, 2) as decimal(18, 2)) as pv_benefit_amount,
        cast(round(npv_amount, 2) as decimal(18, 2)) as npv_amount,
        cast(roi as double) as roi,
        cast(bcr as double) as bcr,
        cast(payback_months as integer) as payback_months,
        cast(alignment_score as double) as alignment_score,
        cast(value_per_cost_ratio as double) as value_per_cost_ratio,
        cast(value_rank as integer) as value_rank,
        cast(cpi as double) as cpi,
        cast(spi as double) as spi,
        {{ value_rag('cpi', 'rag_cpi') }} as cost_rag,
        {{ value_rag('spi', 'rag_spi') }} as schedule_rag,
        {{ value_rag('benefit_realization_pct', 'rag_realization') }} as benefit_rag,
        '{{ var("reporting_currency") }}' as reporting_currency
    from ranked

)

select * from final
