with

benefit_versions as (

    select * from {{ ref('dim_benefit') }}

),

plan as (

    select * from {{ ref('int_benefits__current_plan') }}

),

kpi_months as (

    select * from {{ ref('int_benefits__kpi_months') }}

),

-- the portfolio's as-of month: every benefit runs up to it
as_of as (

    select * from {{ ref('int_portfolio__as_of') }}

),

-- the first plan row, the first month with a planned improvement (the plan's start: realization
-- counts from it) and the whole plan's improvement
first_plan_months as (

    select
        benefit_id,
        min(month_start_on) as first_plan_month_on,
        min(case when planned_value <> 0 then month_start_on end) as plan_start_month_on,
        sum(coalesce(planned_value, 0)) as total_planned_value
    from plan
    group by benefit_id

),

first_baseline_months as (

    select
        benefit_id,
        min({{ value_month_of('baseline_on') }}) as baseline_month_on
    from benefit_versions
    group by benefit_id

),

current_kpis as (

    select benefit_id, kpi_id
    from benefit_versions
    where is_current
    qualify row_number() over (partition by benefit_id order by valid_from_on desc) = 1

),

first_reading_months as (

    select
        kpi_id,
        min(month_start_on) as first_reading_month_on
    from kpi_months
    group by kpi_id

),

benefit_ranges as (

    select
        first_baseline_months.benefit_id,
        -- no later than the as-of month: every benefit has a row as of it
        least(
            coalesce(
                {{ value_earliest(
                    'first_plan_months.first_plan_month_on', 'first_baseline_months.baseline_month_on'
                ) }},
                first_reading_months.first_reading_month_on,
                as_of.as_of_month_on
            ),
            as_of.as_of_month_on
        ) as first_month_on,
        first_plan_months.plan_start_month_on,
        coalesce(first_plan_months.total_planned_value, 0) as total_planned_value,
        -- a reading is due every month from the first planned month or the first reading, whichever is first
        {{ value_earliest(
            'first_plan_months.first_plan_month_on', 'first_reading_months.first_reading_month_on'
        ) }} as readings_due_from_on
    from first_baseline_months
    cross join as_of
    left join first_plan_months on first_baseline_months.benefit_id = first_plan_months.benefit_id
    left join current_kpis on first_baseline_months.benefit_id = current_kpis.benefit_id
    left join first_reading_months on current_kpis.kpi_id = first_reading_months.kpi_id

),

months as (

    {{ value_month_spine(
        '(select min(first_month_on) from benefit_ranges)',
        '(select as_of_month_on from as_of)'
    ) }}

),

benefit_months as (

    select
        benefit_ranges.benefit_id,
        months.month_start_on,
        {{ value_month_end_of('months.month_start_on') }} as month_end_on,
        benefit_ranges.readings_due_from_on,
        benefit_ranges.plan_start_month_on,
        benefit_ranges.total_planned_value,
        -- before the plan's first planned improvement (or without any): readings are the baseline period
        coalesce(months.month_start_on < benefit_ranges.plan_start_month_on, true) as is_baseline_period
    from benefit_ranges
    inner join months
        on months.month_start_on >= benefit_ranges.first_month_on

),

-- the register version in force at the month's end; the first version also covers the months
-- before the first snapshot, the last one the months after a benefit left the register
versions_in_force as (

    select
        *,
        case when version_number = 1 then cast('1900-01-01' as date) else valid_from_on end as in_force_from_on,
        case
            when version_number = max(version_number) over (partition by benefit_id) then cast(null as date)
            else valid_to_on
        end as in_force_to_on
    from benefit_versions

),

with_attributes as (

    select
        benefit_months.*,
        versions_in_force.kpi_id,
        versions_in_force.objective_id,
        versions_in_force.benefit_name,
        versions_in_force.benefit_owner,
        versions_in_force.category,
        versions_in_force.is_dis_benefit,
        versions_in_force.unit,
        versions_in_force.direction,
        versions_in_force.aggregation,
        versions_in_force.baseline_value,
        versions_in_force.target_value,
        versions_in_force.target_on,
        versions_in_force.value_per_unit,
        versions_in_force.currency,
        versions_in_force.version_number as benefit_version_number,
        case when versions_in_force.direction = 'decrease' then -1 else 1 end as direction_sign
    from benefit_months
    inner join versions_in_force
        on benefit_months.benefit_id = versions_in_force.benefit_id
        and benefit_months.month_end_on >= versions_in_force.in_force_from_on
        and (
            versions_in_force.in_force_to_on is null
            or benefit_months.month_end_on <= versions_in_force.in_force_to_on
        )

),

with_readings as (

    select
        with_attributes.*,
        plan.planned_value,
        coalesce(kpi_months.reading_count, 0) as reading_count,
        case
            when with_attributes.aggregation = 'sum' then kpi_months.sum_value
            else kpi_months.latest_value
        end as measured_value,
        {{ value_month_index('with_attributes.month_start_on') }} as month_index,
        {{ value_month_index('with_attributes.target_on') }} as target_month_index
    from with_attributes
    left join plan
        on with_attributes.benefit_id = plan.benefit_id
        and with_attributes.month_start_on = plan.month_start_on
    left join kpi_months
        on with_attributes.kpi_id = kpi_months.kpi_id
        and with_attributes.month_start_on = kpi_months.month_start_on

),

improvements as (

    select
        *,
        -- realized improvement: (month's sum or last reading - baseline) x direction; null without a
        -- reading and in the baseline period (adding 0.0 turns the -0.0 of an unchanged decreasing
        -- KPI into 0.0)
        case
            when not is_baseline_period then direction_sign * (measured_value - baseline_value) + 0.0
        end as actual_value,
        -- the trend's points: KPI values of the months since the plan started
        case when not is_baseline_period then measured_value end as trend_measured_value,
        direction_sign * (target_value - baseline_value) as target_improvement_value
    from with_readings

),

cumulated as (

    select
        *,
        sum(coalesce(planned_value, 0)) over benefit_to_date as cumulative_planned_value,
        sum(coalesce(actual_value, 0)) over benefit_to_date as cumulative_actual_value,
        count(trend_measured_value) over benefit_to_date as trend_reading_count,
        regr_slope(trend_measured_value, month_index) over benefit_to_date as trend_slope,
        regr_intercept(trend_measured_value, month_index) over benefit_to_date as trend_intercept
    from improvements
    window benefit_to_date as (
        partition by benefit_id order by month_start_on rows between unbounded preceding and current row
    )

),

final as (

    select
        benefit_id,
        month_start_on,
        month_end_on,
        kpi_id,
        objective_id,
        benefit_name,
        benefit_owner,
        category,
        is_dis_benefit,
        unit,
        direction,
        aggregation,
        currency,
        benefit_version_number,
        baseline_value,
        target_value,
        target_on,
        value_per_unit,
        plan_start_month_on,
        is_baseline_period,
        planned_value,
        reading_count,
        measured_value,
        actual_value,
        cumulative_planned_value,
        cumulative_actual_value,
        cumulative_actual_value / nullif(cumulative_planned_value, 0) as realization_ratio,
        total_planned_value - cumulative_planned_value as remaining_planned_value,
        trend_reading_count,
        case
            when trend_reading_count >= 3 and trend_slope is not null
                then trend_intercept + trend_slope * target_month_index
        end as forecast_kpi_value_at_target,
        case
            when trend_reading_count >= 3 and trend_slope is not null
                then direction_sign * (trend_intercept + trend_slope * target_month_index - baseline_value)
        end as forecast_value_at_target,
        target_improvement_value,
        case
            when trend_reading_count >= 3 and trend_slope is not null
                then direction_sign * (trend_intercept + trend_slope * target_month_index - baseline_value)
                    / nullif(target_improvement_value, 0)
        end as forecast_attainment_ratio,
        readings_due_from_on is not null and month_start_on >= readings_due_from_on as is_reading_due,
        readings_due_from_on is not null and month_start_on >= readings_due_from_on and reading_count = 0
            as is_stale
    from cumulated

)

select * from final
