with

cost_lines as (

    {{ value_actual_cost_lines() }}

),

evm as (

    select * from {{ ref('mart_project_evm') }}

),

plan as (

    select * from {{ ref('int_benefits__current_plan') }}

),

as_of as (

    select * from {{ ref('int_portfolio__as_of') }}

),

-- the portfolio's first month: the first project cost, earned-value month or planned benefit
data_months as (

    select {{ value_month_of('posting_on') }} as month_start_on
    from cost_lines
    union all
    select month_start_on
    from evm
    union all
    select month_start_on
    from plan
    where planned_value <> 0

),

bounds as (

    select
        least(coalesce(min(data_months.month_start_on), max(as_of.as_of_month_on)), max(as_of.as_of_month_on))
            as first_month_on,
        max(as_of.as_of_month_on) as last_month_on
    from as_of
    left join data_months on 1 = 1

),

months as (

    {{ value_month_spine('(select first_month_on from bounds)', '(select last_month_on from bounds)') }}

),

final as (

    select
        months.month_start_on,
        {{ value_month_end_of('months.month_start_on') }} as month_end_on,
        months.month_start_on = bounds.last_month_on as is_as_of_month
    from months
    cross join bounds

)

select * from final
