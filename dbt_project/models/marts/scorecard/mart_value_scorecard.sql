with

projects as (

    select * from {{ ref('dim_project') }}

),

as_of as (

    select * from {{ ref('int_portfolio__as_of') }}

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

alignment_rows as (

    select * from {{ ref('bridge_project_objective') }}

),

labour as (

    select * from {{ ref('fct_labour_cost') }}
    where is_counted

),

-- internal labour worked up to the as-of month end (work-date rates); part of cost to date when
-- var labour_cost_in_ac is true, shown beside it otherwise
labour_to_date as (

    select
        labour.project_id,
        sum(labour.cost_reporting_amount) as labour_cost_to_date_amount
    from labour
    cross join as_of
    where labour.work_on <= as_of.as_of_month_end_on
    group by labour.project_id

),

latest_evm as (

    select evm.*
    from evm
    cross join as_of
    where evm.month_start_on <= as_of.as_of_month_on
    qualify row_number() over (partition by evm.project_id order by evm.month_start_on desc) = 1

),

-- every benefit has a row at the as-of month (mart_benefits_realization)
benefits_as_of as (

    select benefit_months.*
    from benefit_months
    inner join as_of on benefit_months.month_start_on = as_of.as_of_month_on

),

-- money: monetised benefits only (the non-monetised have no amounts); the forecast of a benefit
-- without a trend yet (fewer than three readings since its plan started) is its plan
project_benefits as (

    select
        attribution.project_id,
        sum(benefits_as_of.cumulative_planned_value_reporting_amount * attribution.share)
            as planned_to_date_amount,
        sum(benefits_as_of.cumulative_realized_value_reporting_amount * attribution.share)
            as realized_to_date_amount,
        sum(benefits_as_of.remaining_planned_value_reporting_amount * attribution.share)
            as remaining_planned_amount,
        sum(
            coalesce(
                benefits_as_of.forecast_value_at_completion_reporting_amount,
                benefits_as_of.cumulative_realized_value_reporting_amount
                + benefits_as_of.remaining_planned_value_reporting_amount
            ) * attribution.share
        ) as forecast_amount,
        {{ value_share_weighted_realization_ratio('benefits_as_of') }} as benefit_realization_ratio
    from attribution
    inner join benefits_as_of on attribution.benefit_id = benefits_as_of.benefit_id
    group by attribution.project_id

),

-- the alignment in force at the as-of date, or at its close for a project closed before it
alignment_dates as (

    select
        projects.project_id,
        case
            when projects.closed_on is not null and projects.closed_on < as_of.as_of_month_end_on
                then projects.closed_on
            else as_of.as_of_month_end_on
        end as alignment_on
    from projects
    cross join as_of

),

alignment as (

    select
        alignment_dates.project_id,
        sum(alignment_rows.weight) as alignment_score
    from alignment_dates
    inner join alignment_rows
        on alignment_dates.project_id = alignment_rows.project_id
        and alignment_rows.valid_from_on <= alignment_dates.alignment_on
        and (alignment_rows.valid_to_on is null or alignment_rows.valid_to_on >= alignment_dates.alignment_on)
    group by alignment_dates.project_id

),

combined as (

    select
        projects.project_id,
        projects.project_name,
        projects.portfolio,
        projects.programme,
        projects.status,
        projects.is_closed,
        as_of.as_of_month_on,
        latest_evm.month_start_on as evm_month_on,
        investment_case.total_cost_to_date_amount as cost_to_date_amount,
        labour_to_date.labour_cost_to_date_amount,
        latest_evm.bac_amount,
        coalesce(latest_evm.eac_cpi_amount, latest_evm.eac_remaining_amount) as eac_amount,
        latest_evm.cpi,
        latest_evm.spi,
        project_benefits.planned_to_date_amount,
        project_benefits.realized_to_date_amount,
        coalesce(project_benefits.planned_to_date_amount, 0)
            + coalesce(project_benefits.remaining_planned_amount, 0) as planned_total_amount,
        coalesce(project_benefits.forecast_amount, 0) as forecast_amount,
        project_benefits.benefit_realization_ratio,
        investment_case.first_month_on as whole_life_first_month_on,
        investment_case.last_month_on as whole_life_last_month_on,
        investment_case.total_cost_amount as whole_life_cost_amount,
        investment_case.total_benefit_amount as whole_life_benefit_amount,
        investment_case.pv_cost_amount,
        investment_case.pv_benefit_amount,
        investment_case.npv_amount,
        investment_case.roi,
        investment_case.bcr,
        investment_case.payback_months,
        investment_case.pv_cost_to_date_amount,
        investment_case.pv_benefit_to_date_amount,
        investment_case.npv_to_date_amount,
        investment_case.roi_to_date,
        investment_case.bcr_to_date,
        investment_case.payback_to_date_months,
        coalesce(alignment.alignment_score, 0) as alignment_score
    from projects
    left join as_of on 1 = 1
    left join latest_evm on projects.project_id = latest_evm.project_id
    left join investment_case on projects.project_id = investment_case.project_id
    left join project_benefits on projects.project_id = project_benefits.project_id
    left join alignment on projects.project_id = alignment.project_id
    left join labour_to_date on projects.project_id = labour_to_date.project_id

),

-- ranked on whole-life value: NPV, then BCR, then project_id
ranked as (

    select
        *,
        forecast_amount / nullif(eac_amount, 0) as value_per_cost_ratio,
        row_number() over (
            order by npv_amount desc nulls last, bcr desc nulls last, project_id
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
        as_of_month_on,
        evm_month_on,
        cast(coalesce(cost_to_date_amount, 0) as decimal(18, 2)) as cost_to_date_amount,
        cast(coalesce(labour_cost_to_date_amount, 0) as decimal(18, 2)) as labour_cost_to_date_amount,
        cast(bac_amount as decimal(18, 2)) as bac_amount,
        cast(eac_amount as decimal(18, 2)) as eac_amount,
        cast(round(coalesce(planned_to_date_amount, 0), 2) as decimal(18, 2)) as benefits_planned_to_date_amount,
        cast(round(coalesce(realized_to_date_amount, 0), 2) as decimal(18, 2)) as benefits_realized_to_date_amount,
        cast(round(planned_total_amount, 2) as decimal(18, 2)) as benefits_planned_total_amount,
        cast(round(forecast_amount, 2) as decimal(18, 2)) as benefits_forecast_amount,
        cast(benefit_realization_ratio as double) as benefit_realization_ratio,
        whole_life_first_month_on,
        whole_life_last_month_on,
        cast(whole_life_cost_amount as decimal(18, 2)) as whole_life_cost_amount,
        cast(whole_life_benefit_amount as decimal(18, 2)) as whole_life_benefit_amount,
        cast(pv_cost_amount as decimal(18, 2)) as pv_cost_amount,
        cast(pv_benefit_amount as decimal(18, 2)) as pv_benefit_amount,
        cast(npv_amount as decimal(18, 2)) as npv_amount,
        cast(roi as double) as roi,
        cast(bcr as double) as bcr,
        cast(payback_months as integer) as payback_months,
        cast(pv_cost_to_date_amount as decimal(18, 2)) as pv_cost_to_date_amount,
        cast(pv_benefit_to_date_amount as decimal(18, 2)) as pv_benefit_to_date_amount,
        cast(npv_to_date_amount as decimal(18, 2)) as npv_to_date_amount,
        cast(roi_to_date as double) as roi_to_date,
        cast(bcr_to_date as double) as bcr_to_date,
        cast(payback_to_date_months as integer) as payback_to_date_months,
        cast(alignment_score as double) as alignment_score,
        cast(value_per_cost_ratio as double) as value_per_cost_ratio,
        cast(value_rank as integer) as value_rank,
        cast(cpi as double) as cpi,
        cast(spi as double) as spi,
        {{ value_rag('cpi', 'rag_cpi') }} as cost_rag,
        {{ value_rag('spi', 'rag_spi') }} as schedule_rag,
        {{ value_rag('benefit_realization_ratio', 'rag_realization') }} as benefit_rag,
        '{{ var("reporting_currency") }}' as reporting_currency
    from ranked

)

select * from final
