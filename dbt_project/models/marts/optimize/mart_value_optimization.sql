-- The marginal case of every active project as of the as-of month, and what to do with it
-- (dbt_project/MEASURES.md, value optimization): continue, review or stop. Sunk cost is left out: only
-- the cash flows after the as-of month count, as the whole-life investment case has them
-- (int_benefits__project_cash_flows: ETC from the earned-value marts spread over the remaining
-- baseline, benefits at each benefit's forecast attainment), discounted to the as-of month.

with

projects as (

    select * from {{ ref('dim_project') }}

),

as_of as (

    select * from {{ ref('int_portfolio__as_of') }}

),

cash_flows as (

    select * from {{ ref('int_benefits__project_cash_flows') }}

),

scorecard as (

    select * from {{ ref('mart_value_scorecard') }}

),

benefit_months as (

    select * from {{ ref('mart_benefits_realization') }}

),

attribution as (

    select * from {{ ref('bridge_benefit_project') }}

),

-- ongoing projects: active or on hold, not closed
active_projects as (

    select *
    from projects
    where status in ('active', 'on_hold')
        and not is_closed

),

-- the months after the as-of month, t = months after it (the first one is discounted once)
future_flows as (

    select
        cash_flows.project_id,
        cash_flows.cost_amount,
        cash_flows.benefit_amount,
        cash_flows.forecast_benefit_amount,
        1 / power(
            1 + {{ var('discount_rate_annual') }} / 12.0,
            {{ dbt.datediff('as_of.as_of_month_on', 'cash_flows.month_start_on', 'month') }}
        ) as discount_factor,
        cash_flows.month_start_on
            <= {{ dbt.dateadd('month', var('optimize_horizon_months'), 'as_of.as_of_month_on') }}
            as is_in_horizon
    from cash_flows
    cross join as_of
    where cash_flows.month_start_on > as_of.as_of_month_on

),

marginal as (

    select
        project_id,
        sum(cost_amount) as etc_amount,
        sum(case when is_in_horizon then cost_amount else 0 end) as horizon_cost_amount,
        sum(benefit_amount) as remaining_benefit_plan_amount,
        sum(forecast_benefit_amount) as remaining_benefit_forecast_amount,
        sum(cast(cost_amount as double) * discount_factor) as pv_etc,
        sum(cast(forecast_benefit_amount as double) * discount_factor) as pv_remaining_benefit
    from future_flows
    group by project_id

),

-- per benefit at the as-of month: monetised or not, a dis-benefit or not, its realization (cumulative
-- realized / planned improvement, as mart_benefits_realization has it), its plan's first month with a
-- planned improvement, and the months with a reading since then (what its trend forecast is fitted on;
-- three make a forecast)
benefit_status as (

    select
        benefit_months.benefit_id,
        max(case when benefit_months.month_start_on = as_of.as_of_month_on and benefit_months.is_monetised
            then 1 else 0 end) = 1 as is_monetised,
        max(case when benefit_months.is_dis_benefit then 1 else 0 end) = 1 as is_dis_benefit,
        max(case when benefit_months.month_start_on = as_of.as_of_month_on
            then benefit_months.cumulative_actual_value / nullif(benefit_months.cumulative_planned_value, 0)
        end) as realization_ratio,
        min(benefit_months.plan_start_month_on) as plan_start_month_on,
        sum(case when not benefit_months.is_baseline_period and benefit_months.reading_count > 0 then 1 else 0 end)
            as reading_months
    from benefit_months
    cross join as_of
    where benefit_months.month_start_on <= as_of.as_of_month_on
    group by benefit_months.benefit_id

),

-- per project: its monetised benefits and their weakest forecast (fewest readings); over its
-- benefits other than dis-benefits, the earliest plan start and the share-weighted realization (as
-- mart_value_scorecard weighs it: value_share_weighted_realization_ratio)
project_benefits as (

    select
        attribution.project_id,
        sum(case when benefit_status.is_monetised then 1 else 0 end) as monetised_benefit_count,
        min(case when benefit_status.is_monetised then benefit_status.reading_months end) as forecast_reading_count,
        min(case when not benefit_status.is_dis_benefit then benefit_status.plan_start_month_on end)
            as benefit_plan_start_on,
        {{ value_share_weighted_realization_ratio('benefit_status') }} as benefits_to_plan_ratio
    from attribution
    inner join benefit_status on attribution.benefit_id = benefit_status.benefit_id
    group by attribution.project_id

),

combined as (

    select
        active_projects.project_id,
        active_projects.project_name,
        active_projects.portfolio,
        active_projects.programme,
        active_projects.status,
        active_projects.is_mandatory,
        as_of.as_of_month_on,
        coalesce(marginal.etc_amount, 0) as etc_amount,
        coalesce(marginal.horizon_cost_amount, 0) as horizon_cost_amount,
        coalesce(marginal.remaining_benefit_plan_amount, 0) as remaining_benefit_plan_amount,
        coalesce(marginal.remaining_benefit_forecast_amount, 0) as remaining_benefit_forecast_amount,
        coalesce(marginal.pv_etc, 0) as pv_etc,
        coalesce(marginal.pv_remaining_benefit, 0) as pv_remaining_benefit,
        coalesce(marginal.pv_remaining_benefit, 0) - coalesce(marginal.pv_etc, 0) as marginal_npv,
        scorecard.npv_amount as whole_life_npv_amount,
        coalesce(scorecard.alignment_score, 0) as alignment_score,
        scorecard.benefits_planned_to_date_amount,
        scorecard.benefits_realized_to_date_amount,
        project_benefits.benefits_to_plan_ratio,
        project_benefits.benefit_plan_start_on,
        case
            when project_benefits.benefit_plan_start_on <= as_of.as_of_month_on
                then {{ dbt.datediff('project_benefits.benefit_plan_start_on', 'as_of.as_of_month_on', 'month') }} + 1
            else 0
        end as benefit_plan_months_elapsed,
        coalesce(project_benefits.monetised_benefit_count, 0) as monetised_benefit_count,
        project_benefits.forecast_reading_count,
        scorecard.cpi,
        scorecard.spi
    from active_projects
    cross join as_of
    left join marginal on active_projects.project_id = marginal.project_id
    left join scorecard on active_projects.project_id = scorecard.project_id
    left join project_benefits on active_projects.project_id = project_benefits.project_id

),

-- which rule fires (the thresholds are dbt vars, see dbt_project.yml). The marginal NPV decides only
-- for a project with monetised benefits: without them it is the cost still to come, nothing else.
flagged as (

    select
        *,
        monetised_benefit_count > 0 as has_money_case,
        monetised_benefit_count > 0 and marginal_npv < {{ var('optimize_stop_marginal_npv_below') }}
            as is_npv_below_stop,
        coalesce(
            monetised_benefit_count > 0
            and marginal_npv >= {{ var('optimize_stop_marginal_npv_below') }}
            and marginal_npv / nullif(etc_amount, 0) < {{ var('optimize_review_marginal_npv_to_etc_below') }},
            false
        ) as is_npv_thin,
        coalesce(
            benefit_plan_months_elapsed >= {{ var('optimize_review_after_benefit_months') }}
            and benefits_to_plan_ratio < {{ var('optimize_review_benefits_to_plan_below') }},
            false
        ) as is_benefits_behind,
        coalesce(cpi < {{ var('optimize_review_cpi_below') }}, false) as is_cpi_low,
        coalesce(spi < {{ var('optimize_review_spi_below') }}, false) as is_spi_low
    from combined

),

decided as (

    select
        *,
        case
            when monetised_benefit_count = 0 then 'none'
            when coalesce(forecast_reading_count, 0) < 3 then 'low'
            when forecast_reading_count < {{ var('optimize_confidence_high_readings') }} then 'medium'
            else 'high'
        end as forecast_confidence,
        case
            when is_npv_below_stop and not is_mandatory then 'stop'
            when is_npv_below_stop or is_npv_thin or is_benefits_behind or is_cpi_low or is_spi_low then 'review'
            else 'continue'
        end as recommendation
    from flagged

),

-- the reason in words: the facts a board weighs, each rule that fired marked with its threshold
worded as (

    select
        *,
        concat_ws(
            '; ',
            case when is_mandatory and is_npv_below_stop then 'mandatory, so never stopped' end,
            'marginal NPV ' || {{ value_format_amount('marginal_npv') }} || ' {{ var("reporting_currency") }}'
            || case
                when not has_money_case and etc_amount > 0 then ' (benefits not monetised: the cost still to come only)'
                when not has_money_case then ' (benefits not monetised, nothing left to spend)'
                when is_npv_below_stop then ' (below {{ var("optimize_stop_marginal_npv_below") }}: benefits still to come worth '
                    || {{ value_format_amount('pv_remaining_benefit') }} || ' against '
                    || {{ value_format_amount('pv_etc') }} || ' still to spend, at present value)'
                when is_npv_thin then ' ('
                    || {{ value_format_percent('marginal_npv / nullif(etc_amount, 0)') }}
                    || ' of the ' || {{ value_format_amount('etc_amount') }}
                    || ' {{ var("reporting_currency") }} still to spend, below '
                    || {{ value_format_percent(var('optimize_review_marginal_npv_to_etc_below')) }} || ')'
                else ''
            end,
            case
                when benefit_plan_start_on is null then 'no benefits planned'
                when benefit_plan_months_elapsed = 0 then 'benefits plan starts '
                    || cast(benefit_plan_start_on as {{ dbt.type_string() }})
                when benefits_to_plan_ratio is null then 'no benefits planned to date'
                else 'benefits ' || {{ value_format_percent('benefits_to_plan_ratio') }} || ' of plan after '
                    || cast(benefit_plan_months_elapsed as {{ dbt.type_string() }}) || ' months'
                    || case
                        when is_benefits_behind
                            then ' (below ' || {{ value_format_percent(var('optimize_review_benefits_to_plan_below')) }}
                                || ')'
                        else ''
                    end
            end,
            case
                when monetised_benefit_count > 0
                    then 'forecast from ' || cast(coalesce(forecast_reading_count, 0) as {{ dbt.type_string() }})
                        || ' readings' || case when coalesce(forecast_reading_count, 0) < 3 then ' (the plan)' else '' end
            end,
            {%- for index in ['cpi', 'spi'] %}
            {%- set threshold = var('optimize_review_' ~ index ~ '_below') %}
            -- two decimals, three when two would show the threshold itself ('0.849 (below 0.85)')
            case
                when {{ index }} is not null then '{{ index | upper }} '
                    || case
                        when is_{{ index }}_low and round({{ index }}, 2) >= {{ threshold }}
                            then {{ value_format_decimal(index, 3) }}
                        else {{ value_format_decimal(index) }}
                    end
                    || case when is_{{ index }}_low then ' (below {{ threshold }})' else '' end
            end{{ ',' if not loop.last }}
            {%- endfor %}
        ) as recommendation_reason
    from decided

),

final as (

    select
        project_id,
        project_name,
        portfolio,
        programme,
        status,
        is_mandatory,
        as_of_month_on,
        recommendation,
        recommendation_reason,
        cast(round(etc_amount, 2) as decimal(18, 2)) as etc_amount,
        cast(round(horizon_cost_amount, 2) as decimal(18, 2)) as horizon_cost_amount,
        cast({{ var('optimize_horizon_months') }} as integer) as horizon_months,
        cast(round(remaining_benefit_plan_amount, 2) as decimal(18, 2)) as remaining_benefit_plan_amount,
        cast(round(remaining_benefit_forecast_amount, 2) as decimal(18, 2)) as remaining_benefit_forecast_amount,
        cast(round(pv_etc, 2) as decimal(18, 2)) as pv_etc_amount,
        cast(round(pv_remaining_benefit, 2) as decimal(18, 2)) as pv_remaining_benefit_amount,
        cast(round(marginal_npv, 2) as decimal(18, 2)) as marginal_npv_amount,
        cast(whole_life_npv_amount as decimal(18, 2)) as whole_life_npv_amount,
        cast(alignment_score as double) as alignment_score,
        cast(benefits_planned_to_date_amount as decimal(18, 2)) as benefits_planned_to_date_amount,
        cast(benefits_realized_to_date_amount as decimal(18, 2)) as benefits_realized_to_date_amount,
        cast(benefits_to_plan_ratio as double) as benefits_to_plan_ratio,
        benefit_plan_start_on,
        cast(benefit_plan_months_elapsed as integer) as benefit_plan_months_elapsed,
        cast(monetised_benefit_count as integer) as monetised_benefit_count,
        cast(forecast_reading_count as integer) as forecast_reading_count,
        forecast_confidence,
        cast(cpi as double) as cpi,
        cast(spi as double) as spi,
        '{{ var("reporting_currency") }}' as reporting_currency
    from worded

)

select * from final
